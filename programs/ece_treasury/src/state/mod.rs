pub mod config_actions;
pub mod multisig;
pub mod proposal;

use ece_shared::check;
use pinocchio::{error::ProgramError, AccountView};

/// Checks an account of this program: owner and discriminator (fixed `len` minimum).
pub(crate) fn program_account(
    account: &AccountView,
    disc: &[u8; 8],
    len: usize,
) -> Result<(), ProgramError> {
    check::owner(account, &crate::ID)?;
    // SAFETY: only this program writes its accounts and no borrow is held here.
    check::discriminator(unsafe { account.borrow_unchecked() }, disc, len)
}

#[inline(always)]
pub(crate) fn put_u16(data: &mut [u8], at: usize, v: u16) {
    data[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

#[inline(always)]
pub(crate) fn put_u32(data: &mut [u8], at: usize, v: u32) {
    data[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

#[inline(always)]
pub(crate) fn put_u64(data: &mut [u8], at: usize, v: u64) {
    data[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

#[inline(always)]
pub(crate) fn get_u16(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

#[inline(always)]
pub(crate) fn get_u32(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}
