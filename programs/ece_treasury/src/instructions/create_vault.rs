//! `create_vault()`: the multisig's token account for a mint, at the PDA
//! `["vault", multisig, mint]`, owned by the multisig PDA. Anyone may pay for it.
use super::create_at;
use crate::state::{multisig as ms, program_account};
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    ids::{SPL_TOKEN_ID, SYSTEM_PROGRAM_ID},
    pause::require_not_paused,
    spl,
    system::Space,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:create_vault");
const EVENT: [u8; 8] = discriminator("event:VaultCreated");
pub const SEED: &[u8] = b"vault";

/// Accounts: payer (writable, signer), multisig, mint, vault (writable),
/// token_program, system_program, pause_state.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [payer, multisig, mint, vault, token_program, system_program, pause_state, ..] = accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    ece_shared::read::Args::new(data).finish()?;
    check::signer(payer)?;
    check::writable(payer)?;
    check::writable(vault)?;
    check::program(token_program, &SPL_TOKEN_ID)?;
    check::program(system_program, &SYSTEM_PROGRAM_ID)?;
    require_not_paused(pause_state)?;
    program_account(multisig, &ms::DISCRIMINATOR, ms::LEN)?;
    spl::mint_supply(mint)?;

    let space = Space {
        len: spl::ACCOUNT_LEN,
        owner: &SPL_TOKEN_ID,
    };
    let seeds = [SEED, multisig.address().as_ref(), mint.address().as_ref()];
    create_at(payer, vault, &seeds, &space)?;
    spl::initialize_account(vault, mint, multisig.address())?;

    Event::<104>::new(&EVENT)
        .address(multisig.address())
        .address(mint.address())
        .address(vault.address())
        .emit();
    Ok(())
}
