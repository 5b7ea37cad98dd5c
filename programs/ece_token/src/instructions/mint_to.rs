//! `mint_to(amount)`: a listed minter mints ECE, under the cap, while the
//! platform is not paused. The config PDA signs as mint authority.
use super::{
    config_account, config_seeds, minter_index, supply_change_checks, write_u64, CONFIG_BUMP_SEED,
};
use crate::TokenError;
use ece_shared::{
    anchor::discriminator,
    check,
    event::Event,
    read::Args,
    spl::{self, u64_at},
    token::layout,
};
use pinocchio::{cpi::Signer, AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:mint_to");
const EVENT: [u8; 8] = discriminator("event:Minted");

/// Accounts: minter (signer), config (writable), mint (writable), destination
/// (writable ECE token account), token_program, pause_state.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 6)?;
    let mut args = Args::new(data);
    let amount = args.u64()?;
    args.finish()?;

    let minter = accounts[0];
    let [mint, destination, token_program, pause_state] =
        [accounts[2], accounts[3], accounts[4], accounts[5]];
    supply_change_checks(
        [&minter, &destination, &mint, &token_program, &pause_state],
        amount,
    )?;

    let config = config_account(accounts, 1)?;
    let config_view = *config;
    let mut cfg = config.try_borrow_mut()?;
    if minter_index(&cfg, minter.address()).is_none() {
        return Err(TokenError::NotMinter.into());
    }
    let supply = spl::mint_supply(&mint)?
        .checked_add(amount)
        .ok_or(TokenError::ArithmeticOverflow)?;
    if supply > u64_at(&cfg, layout::CAP) {
        return Err(TokenError::CapExceeded.into());
    }
    let minted = u64_at(&cfg, layout::TOTAL_MINTED)
        .checked_add(amount)
        .ok_or(TokenError::ArithmeticOverflow)?;
    write_u64(&mut cfg, layout::TOTAL_MINTED, minted);
    drop(cfg);

    let bump = CONFIG_BUMP_SEED;
    let seeds = config_seeds(&bump);
    spl::mint_to(
        [&mint, &destination, &config_view],
        amount,
        &Signer::from(&seeds),
    )?;

    Event::<120>::new(&EVENT)
        .address(minter.address())
        .address(destination.address())
        .u64(amount)
        .u64(supply)
        .emit();
    Ok(())
}
