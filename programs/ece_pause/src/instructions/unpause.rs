//! `unpause()`: only the authority (the treasury multisig PDA, through CPI).
use super::{require_authority, stamp, state_account};
use crate::PauseError;
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    pause::layout,
    read::Args,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:unpause");
const EVENT: [u8; 8] = discriminator("event:Unpaused");

/// Accounts: authority (signer), pause_state (writable).
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 2)?;
    Args::new(data).finish()?;
    let authority = accounts.first().ok_or(AnchorError::AccountNotEnoughKeys)?;
    let by = *authority.address();
    let is_signer = authority.is_signer();
    let state = state_account(accounts, 1)?;
    let mut data = state.try_borrow_mut()?;
    require_authority(&data, &by, is_signer)?;
    if data[layout::PAUSED] == 0 {
        return Err(PauseError::NotPaused.into());
    }

    data[layout::PAUSED] = 0;
    let slot = stamp(&mut data, &by)?;

    Event::<48>::new(&EVENT).address(&by).u64(slot).emit();
    Ok(())
}
