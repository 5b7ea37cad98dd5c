//! `pause(reason)`: any guardian, effective in the same instruction.
use super::{is_guardian, stamp, state_account};
use crate::PauseError;
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    pause::layout,
    read::Args,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:pause");
const EVENT: [u8; 8] = discriminator("event:Paused");

/// Accounts: guardian (signer), pause_state (writable).
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 2)?;
    let mut args = Args::new(data);
    let reason = args.u16()?;
    args.finish()?;

    let guardian = accounts.first().ok_or(AnchorError::AccountNotEnoughKeys)?;
    check::signer(guardian)?;
    let by = *guardian.address();
    let state = state_account(accounts, 1)?;
    let mut data = state.try_borrow_mut()?;

    if !is_guardian(&data, &by) {
        return Err(PauseError::NotGuardian.into());
    }
    if data[layout::PAUSED] != 0 {
        return Err(PauseError::AlreadyPaused.into());
    }

    data[layout::PAUSED] = 1;
    data[layout::REASON..layout::REASON + 2].copy_from_slice(&reason.to_le_bytes());
    let slot = stamp(&mut data, &by)?;

    Event::<50>::new(&EVENT)
        .address(&by)
        .u16(reason)
        .u64(slot)
        .emit();
    Ok(())
}
