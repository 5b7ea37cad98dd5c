//! `set_cap(cap)` / `set_admin(admin)`: admin only.
use super::{admin_address_ix, config_account, require_admin, write_u64};
use crate::TokenError;
use ece_shared::{
    anchor::discriminator,
    check,
    event::Event,
    ids::SYSTEM_PROGRAM_ID,
    read::Args,
    spl::{self, u64_at},
    token::{layout, MINT_ADDRESS},
};
use pinocchio::{AccountView, ProgramResult};

const CAP_CHANGED: [u8; 8] = discriminator("event:CapChanged");
const ADMIN_CHANGED: [u8; 8] = discriminator("event:AdminChanged");

/// Accounts: admin (signer), config (writable), mint. The cap may not fall
/// below the current supply.
pub fn set_cap(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 3)?;
    let mut args = Args::new(data);
    let cap = args.u64()?;
    args.finish()?;
    let mint = accounts[2];
    check::address(&mint, &MINT_ADDRESS)?;
    let supply = spl::mint_supply(&mint)?;
    let admin = accounts[0];
    let config = config_account(accounts, 1)?;
    let mut cfg = config.try_borrow_mut()?;
    let admin = require_admin(&admin, &cfg)?;
    if cap == 0 {
        return Err(TokenError::InvalidCap.into());
    }
    if cap < supply {
        return Err(TokenError::CapBelowSupply.into());
    }
    let old = u64_at(&cfg, layout::CAP);
    write_u64(&mut cfg, layout::CAP, cap);
    Event::<64>::new(&CAP_CHANGED)
        .address(&admin)
        .u64(old)
        .u64(cap)
        .emit();
    Ok(())
}

/// Accounts: admin (signer), config (writable).
pub fn set_admin(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (new_admin, admin, mut cfg) = admin_address_ix(accounts, data)?;
    if check::same(&new_admin, &SYSTEM_PROGRAM_ID) {
        return Err(TokenError::InvalidAddress.into());
    }
    cfg[layout::ADMIN..layout::ADMIN + 32].copy_from_slice(new_admin.as_ref());
    Event::<72>::new(&ADMIN_CHANGED)
        .address(&admin)
        .address(&new_admin)
        .emit();
    Ok(())
}
