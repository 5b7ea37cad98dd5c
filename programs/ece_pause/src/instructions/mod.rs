pub mod initialize;
pub mod pause;
pub mod set_guardians;
pub mod unpause;

use crate::PauseError;
use ece_shared::{
    anchor::AnchorError,
    check,
    pause::{layout, MAX_GUARDIANS, PAUSE_STATE_ADDRESS},
    read::address_at,
};
use pinocchio::{
    error::ProgramError, sysvars::clock::Clock, sysvars::Sysvar, AccountView, Address,
};

/// A guardian list must be 1..=8 distinct, non-default addresses.
pub(crate) fn validate_guardians(raw: &[u8]) -> Result<(), ProgramError> {
    let n = raw.len() / 32;
    if n == 0 {
        return Err(PauseError::NoGuardians.into());
    }
    if n > MAX_GUARDIANS {
        return Err(PauseError::TooManyGuardians.into());
    }
    for i in 0..n {
        let g = &raw[i * 32..(i + 1) * 32];
        if g == [0u8; 32] {
            return Err(PauseError::InvalidGuardian.into());
        }
        if (0..i).any(|j| &raw[j * 32..(j + 1) * 32] == g) {
            return Err(PauseError::DuplicateGuardian.into());
        }
    }
    Ok(())
}

/// Writes the guardian list into the state, zeroing unused slots.
pub(crate) fn store_guardians(state: &mut [u8], raw: &[u8]) {
    let slots = &mut state[layout::GUARDIANS..layout::LEN];
    slots.fill(0);
    slots[..raw.len()].copy_from_slice(raw);
    state[layout::GUARDIAN_COUNT] = (raw.len() / 32) as u8;
}

/// Checks the pause-state account for an instruction that changes it: the PDA,
/// writable, owned by this program, with the `PauseState` discriminator.
pub(crate) fn state_account(
    accounts: &mut [AccountView],
    index: usize,
) -> Result<&mut AccountView, ProgramError> {
    let state = accounts
        .get_mut(index)
        .ok_or(AnchorError::AccountNotEnoughKeys)?;
    check::address(state, &PAUSE_STATE_ADDRESS)?;
    check::writable(state)?;
    check::owner(state, &crate::ID)?;
    check::discriminator(&state.try_borrow()?, &layout::DISCRIMINATOR, layout::LEN)?;
    Ok(state)
}

/// The first account must be the state's authority, signing.
pub(crate) fn require_authority(
    state: &[u8],
    by: &Address,
    is_signer: bool,
) -> Result<(), ProgramError> {
    if !is_signer {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !check::same(by, address_at(state, layout::AUTHORITY)) {
        return Err(PauseError::NotAuthority.into());
    }
    Ok(())
}

/// `who` is one of the state's guardians.
pub(crate) fn is_guardian(state: &[u8], who: &Address) -> bool {
    let count = (state[layout::GUARDIAN_COUNT] as usize).min(MAX_GUARDIANS);
    (0..count).any(|i| check::same(who, address_at(state, layout::GUARDIANS + 32 * i)))
}

/// Records who changed the state and when; returns the slot for the event.
pub(crate) fn stamp(state: &mut [u8], by: &Address) -> Result<u64, ProgramError> {
    let slot = Clock::get()?.slot;
    state[layout::LAST_CHANGED_BY..layout::LAST_CHANGED_BY + 32].copy_from_slice(by.as_ref());
    state[layout::LAST_CHANGED_SLOT..layout::LAST_CHANGED_SLOT + 8]
        .copy_from_slice(&slot.to_le_bytes());
    Ok(slot)
}
