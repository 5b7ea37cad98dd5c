//! `burn(amount)`: a holder burns ECE from their token account, counted in
//! the config's `total_burned`. Holders can also burn with SPL Token directly,
//! which this program does not see: the mint's supply is the authority.
use super::{config_account, supply_change_checks, write_u64};
use crate::TokenError;
use ece_shared::{
    anchor::discriminator,
    check,
    event::Event,
    read::Args,
    spl::{self, u64_at},
    token::layout,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:burn");
const EVENT: [u8; 8] = discriminator("event:Burned");

/// Accounts: holder (signer), token_account (writable), config (writable),
/// mint (writable), token_program, pause_state.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 6)?;
    let mut args = Args::new(data);
    let amount = args.u64()?;
    args.finish()?;

    let [holder, token_account, mint, token_program, pause_state] = [
        accounts[0],
        accounts[1],
        accounts[3],
        accounts[4],
        accounts[5],
    ];
    supply_change_checks(
        [&holder, &token_account, &mint, &token_program, &pause_state],
        amount,
    )?;

    let config = config_account(accounts, 2)?;
    let mut cfg = config.try_borrow_mut()?;
    let burned = u64_at(&cfg, layout::TOTAL_BURNED)
        .checked_add(amount)
        .ok_or(TokenError::ArithmeticOverflow)?;
    write_u64(&mut cfg, layout::TOTAL_BURNED, burned);
    drop(cfg);

    // SPL Token checks the holder owns (or is delegated) the account and the balance.
    spl::burn([&token_account, &mint, &holder], amount)?;
    let supply = spl::mint_supply(&mint)?;

    Event::<120>::new(&EVENT)
        .address(holder.address())
        .address(token_account.address())
        .u64(amount)
        .u64(supply)
        .emit();
    Ok(())
}
