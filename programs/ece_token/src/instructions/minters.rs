//! `add_minter(minter)` / `remove_minter(minter)`: admin only.
use super::{config_account, minter_index, require_admin};
use crate::TokenError;
use ece_shared::{
    anchor::discriminator,
    check,
    event::Event,
    ids::SYSTEM_PROGRAM_ID,
    read::Args,
    token::{layout, MAX_MINTERS},
};
use pinocchio::{AccountView, ProgramResult};

const ADDED: [u8; 8] = discriminator("event:MinterAdded");
const REMOVED: [u8; 8] = discriminator("event:MinterRemoved");

/// Accounts: admin (signer), config (writable).
pub fn add(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 2)?;
    let mut args = Args::new(data);
    let minter = *args.address()?;
    args.finish()?;
    let admin = accounts[0];
    let config = config_account(accounts, 1)?;
    let mut cfg = config.try_borrow_mut()?;
    let admin = require_admin(&admin, &cfg)?;
    if check::same(&minter, &SYSTEM_PROGRAM_ID) {
        return Err(TokenError::InvalidAddress.into());
    }
    if minter_index(&cfg, &minter).is_some() {
        return Err(TokenError::MinterExists.into());
    }
    let count = cfg[layout::MINTER_COUNT] as usize;
    if count >= MAX_MINTERS {
        return Err(TokenError::TooManyMinters.into());
    }
    let at = layout::MINTERS + 32 * count;
    cfg[at..at + 32].copy_from_slice(minter.as_ref());
    cfg[layout::MINTER_COUNT] = (count + 1) as u8;
    Event::<72>::new(&ADDED)
        .address(&admin)
        .address(&minter)
        .emit();
    Ok(())
}

/// Accounts: admin (signer), config (writable). The last minter moves into
/// the freed slot.
pub fn remove(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 2)?;
    let mut args = Args::new(data);
    let minter = *args.address()?;
    args.finish()?;
    let admin = accounts[0];
    let config = config_account(accounts, 1)?;
    let mut cfg = config.try_borrow_mut()?;
    let admin = require_admin(&admin, &cfg)?;
    let i = minter_index(&cfg, &minter).ok_or(TokenError::MinterNotFound)?;
    let last = cfg[layout::MINTER_COUNT] as usize - 1;
    let (at, from) = (layout::MINTERS + 32 * i, layout::MINTERS + 32 * last);
    cfg.copy_within(from..from + 32, at);
    cfg[from..from + 32].fill(0);
    cfg[layout::MINTER_COUNT] = last as u8;
    Event::<72>::new(&REMOVED)
        .address(&admin)
        .address(&minter)
        .emit();
    Ok(())
}
