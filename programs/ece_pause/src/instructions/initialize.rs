//! `initialize(authority, guardians)`: creates the pause-state PDA once.
use super::{stamp, store_guardians, validate_guardians};
use crate::PauseError;
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    ids::SYSTEM_PROGRAM_ID,
    pause::{layout, MAX_GUARDIANS, PAUSE_BUMP, PAUSE_SEED, PAUSE_STATE_ADDRESS},
    read::Args,
    system::{create_pda, Space},
};
use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:initialize");
const EVENT: [u8; 8] = discriminator("event:PauseInitialized");

/// Accounts: payer (writable, signer), pause_state (writable, PDA `"pause"`),
/// system_program.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [payer, state, system_program, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    let mut args = Args::new(data);
    let authority = args.address()?;
    let guardians = args.address_vec(MAX_GUARDIANS, PauseError::TooManyGuardians.into())?;
    args.finish()?;

    check::signer(payer)?;
    check::writable(payer)?;
    check::address(state, &PAUSE_STATE_ADDRESS)?;
    check::writable(state)?;
    check::program(system_program, &SYSTEM_PROGRAM_ID)?;
    if !state.owned_by(&SYSTEM_PROGRAM_ID) || !state.is_data_empty() {
        return Err(PauseError::AlreadyInitialized.into());
    }
    validate_guardians(guardians)?;

    create_state(payer, state)?;

    let mut data = state.try_borrow_mut()?;
    data[..8].copy_from_slice(&layout::DISCRIMINATOR);
    data[layout::AUTHORITY..layout::AUTHORITY + 32].copy_from_slice(authority.as_ref());
    data[layout::BUMP] = PAUSE_BUMP;
    store_guardians(&mut data, guardians);
    let slot = stamp(&mut data, payer.address())?;

    Event::<320>::new(&EVENT)
        .address(authority)
        .address_vec(guardians)
        .u64(slot)
        .emit();
    Ok(())
}

/// Creates the PDA, signed by its seeds.
fn create_state(payer: &AccountView, state: &AccountView) -> ProgramResult {
    let bump = [PAUSE_BUMP];
    let seeds = [Seed::from(PAUSE_SEED), Seed::from(&bump)];
    create_pda(
        payer,
        state,
        &Signer::from(&seeds),
        &Space {
            len: layout::LEN,
            owner: &crate::ID,
        },
    )
}
