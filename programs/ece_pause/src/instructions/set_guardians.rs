//! `set_guardians(guardians)`: only the authority; replaces the whole list.
use super::{require_authority, stamp, state_account, store_guardians, validate_guardians};
use crate::PauseError;
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    pause::MAX_GUARDIANS,
    read::Args,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:set_guardians");
const EVENT: [u8; 8] = discriminator("event:GuardiansChanged");

/// Accounts: authority (signer), pause_state (writable).
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 2)?;
    let mut args = Args::new(data);
    let guardians = args.address_vec(MAX_GUARDIANS, PauseError::TooManyGuardians.into())?;
    args.finish()?;

    let authority = accounts.first().ok_or(AnchorError::AccountNotEnoughKeys)?;
    let by = *authority.address();
    let is_signer = authority.is_signer();
    let state = state_account(accounts, 1)?;
    let mut data = state.try_borrow_mut()?;
    require_authority(&data, &by, is_signer)?;
    validate_guardians(guardians)?;

    store_guardians(&mut data, guardians);
    let slot = stamp(&mut data, &by)?;

    Event::<320>::new(&EVENT)
        .address(&by)
        .address_vec(guardians)
        .u64(slot)
        .emit();
    Ok(())
}
