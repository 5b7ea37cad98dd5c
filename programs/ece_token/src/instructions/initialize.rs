//! `initialize(decimals, max_supply, admin)`: creates the config PDA and the
//! ECE mint PDA, whose mint and freeze authority is the config PDA.
use super::{config_seeds, write_u64, CONFIG_BUMP_SEED};
use crate::TokenError;
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    ids::{SPL_TOKEN_ID, SYSTEM_PROGRAM_ID},
    read::Args,
    spl,
    system::{create_pda, Space},
    token::{layout, CONFIG_ADDRESS, MINT_ADDRESS, MINT_BUMP, MINT_SEED},
};
use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:initialize");
const EVENT: [u8; 8] = discriminator("event:TokenInitialized");

/// Accounts: payer (writable, signer), config (writable, PDA `"config"`),
/// mint (writable, PDA `"mint"`), token_program, system_program.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [payer, config, mint, token_program, system_program, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    let mut args = Args::new(data);
    let decimals = args.u8()?;
    let cap = args.u64()?;
    let admin = args.address()?;
    args.finish()?;

    check::signer(payer)?;
    check::writable(payer)?;
    check::address(config, &CONFIG_ADDRESS)?;
    check::writable(config)?;
    check::address(mint, &MINT_ADDRESS)?;
    check::writable(mint)?;
    check::program(token_program, &SPL_TOKEN_ID)?;
    check::program(system_program, &SYSTEM_PROGRAM_ID)?;
    if !config.owned_by(&SYSTEM_PROGRAM_ID) || !config.is_data_empty() {
        return Err(TokenError::AlreadyInitialized.into());
    }
    if cap == 0 {
        return Err(TokenError::InvalidCap.into());
    }
    if check::same(admin, &SYSTEM_PROGRAM_ID) {
        return Err(TokenError::InvalidAddress.into());
    }

    let bump = CONFIG_BUMP_SEED;
    let seeds = config_seeds(&bump);
    create_pda(
        payer,
        config,
        &Signer::from(&seeds),
        &Space {
            len: layout::LEN,
            owner: &crate::ID,
        },
    )?;
    let mint_bump = [MINT_BUMP];
    let mint_seeds = [Seed::from(MINT_SEED), Seed::from(&mint_bump)];
    create_pda(
        payer,
        mint,
        &Signer::from(&mint_seeds),
        &Space {
            len: spl::MINT_LEN,
            owner: &SPL_TOKEN_ID,
        },
    )?;
    spl::initialize_mint(mint, decimals, &CONFIG_ADDRESS)?;

    let mut data = config.try_borrow_mut()?;
    data[..8].copy_from_slice(&layout::DISCRIMINATOR);
    data[layout::ADMIN..layout::ADMIN + 32].copy_from_slice(admin.as_ref());
    data[layout::MINT..layout::MINT + 32].copy_from_slice(MINT_ADDRESS.as_ref());
    write_u64(&mut data, layout::CAP, cap);
    data[layout::DECIMALS] = decimals;

    Event::<90>::new(&EVENT)
        .address(admin)
        .address(&MINT_ADDRESS)
        .u8(decimals)
        .u64(cap)
        .emit();
    Ok(())
}
