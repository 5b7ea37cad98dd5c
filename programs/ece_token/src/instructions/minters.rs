//! `add_minter(minter)` / `remove_minter(minter)`: admin only.
use super::{admin_address_ix, minter_index};
use crate::TokenError;
use ece_shared::{
    anchor::discriminator,
    check,
    event::Event,
    ids::SYSTEM_PROGRAM_ID,
    token::{layout, MAX_MINTERS},
};
use pinocchio::{AccountView, ProgramResult};

const ADDED: [u8; 8] = discriminator("event:MinterAdded");
const REMOVED: [u8; 8] = discriminator("event:MinterRemoved");

/// Accounts: admin (signer), config (writable).
pub fn add(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (minter, admin, mut cfg) = admin_address_ix(accounts, data)?;
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
    let (minter, admin, mut cfg) = admin_address_ix(accounts, data)?;
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
