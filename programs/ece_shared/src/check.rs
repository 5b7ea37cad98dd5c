//! Explicit account checks. Each failure maps to the Anchor error a client
//! would see for the same constraint in an Anchor program.
use crate::anchor::AnchorError;
use core::ptr::read_unaligned;
use pinocchio::{error::ProgramError, AccountView, Address};

/// 32-byte equality as four 8-byte loads, branch-free: on SBPF far cheaper
/// than the byte-wise `bcmp` a derived `==` calls.
#[inline(always)]
pub fn same(a: &Address, b: &Address) -> bool {
    let a = a.as_array().as_ptr() as *const u64;
    let b = b.as_array().as_ptr() as *const u64;
    // SAFETY: both point to 32 readable bytes; unaligned reads are allowed.
    unsafe {
        ((read_unaligned(a) ^ read_unaligned(b))
            | (read_unaligned(a.add(1)) ^ read_unaligned(b.add(1)))
            | (read_unaligned(a.add(2)) ^ read_unaligned(b.add(2)))
            | (read_unaligned(a.add(3)) ^ read_unaligned(b.add(3))))
            == 0
    }
}

/// The account's owner, without copying it.
#[inline(always)]
pub fn owner_of(account: &AccountView) -> &Address {
    // SAFETY: the runtime account behind an `AccountView` is valid for its lifetime.
    unsafe { &(*account.account_ptr()).owner }
}

/// At least `n` accounts were passed.
#[inline(always)]
pub fn count(accounts: &[AccountView], n: usize) -> Result<(), ProgramError> {
    if accounts.len() >= n {
        Ok(())
    } else {
        Err(AnchorError::AccountNotEnoughKeys.into())
    }
}

#[inline(always)]
pub fn signer(account: &AccountView) -> Result<(), ProgramError> {
    if account.is_signer() {
        Ok(())
    } else {
        Err(AnchorError::AccountNotSigner.into())
    }
}

#[inline(always)]
pub fn writable(account: &AccountView) -> Result<(), ProgramError> {
    if account.is_writable() {
        Ok(())
    } else {
        Err(AnchorError::AccountNotMutable.into())
    }
}

#[inline(always)]
pub fn owner(account: &AccountView, program: &Address) -> Result<(), ProgramError> {
    if same(owner_of(account), program) {
        Ok(())
    } else if account.lamports() == 0 {
        Err(AnchorError::AccountNotInitialized.into())
    } else {
        Err(AnchorError::AccountOwnedByWrongProgram.into())
    }
}

#[inline(always)]
pub fn address(account: &AccountView, expected: &Address) -> Result<(), ProgramError> {
    if same(account.address(), expected) {
        Ok(())
    } else {
        Err(AnchorError::ConstraintSeeds.into())
    }
}

#[inline(always)]
pub fn program(account: &AccountView, id: &Address) -> Result<(), ProgramError> {
    if same(account.address(), id) {
        Ok(())
    } else {
        Err(AnchorError::InvalidProgramId.into())
    }
}

/// Data is at least `len` bytes and starts with `disc`.
#[inline(always)]
pub fn discriminator(data: &[u8], disc: &[u8; 8], len: usize) -> Result<(), ProgramError> {
    // SAFETY: read only after the length check (`len` >= 8 for every account type).
    if data.len() >= len
        && len >= 8
        && unsafe { read_unaligned(data.as_ptr() as *const u64) } == u64::from_le_bytes(*disc)
    {
        Ok(())
    } else {
        Err(AnchorError::AccountDiscriminatorMismatch.into())
    }
}
