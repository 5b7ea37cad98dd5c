pub mod admin;
pub mod burn;
pub mod initialize;
pub mod mint_to;
pub mod minters;

use crate::TokenError;
use ece_shared::{
    anchor::AnchorError,
    check,
    read::address_at,
    token::{layout, CONFIG_ADDRESS, CONFIG_BUMP, CONFIG_SEED, MAX_MINTERS},
};
use pinocchio::{cpi::Seed, error::ProgramError, AccountView, Address};

/// Checks the config account: the PDA, owned by this program, with the
/// `TokenConfig` discriminator, and writable when the instruction changes it.
pub(crate) fn config_account(
    accounts: &mut [AccountView],
    index: usize,
) -> Result<&mut AccountView, ProgramError> {
    let config = accounts
        .get_mut(index)
        .ok_or(AnchorError::AccountNotEnoughKeys)?;
    check::address(config, &CONFIG_ADDRESS)?;
    check::writable(config)?;
    check::owner(config, &crate::ID)?;
    check::discriminator(&config.try_borrow()?, &layout::DISCRIMINATOR, layout::LEN)?;
    Ok(config)
}

/// `admin` is the config's admin, signing; returns its address.
pub(crate) fn require_admin(admin: &AccountView, config: &[u8]) -> Result<Address, ProgramError> {
    check::signer(admin)?;
    if !check::same(admin.address(), address_at(config, layout::ADMIN)) {
        return Err(TokenError::NotAdmin.into());
    }
    Ok(*admin.address())
}

/// Slot of `who` in the minter list.
pub(crate) fn minter_index(config: &[u8], who: &Address) -> Option<usize> {
    let count = (config[layout::MINTER_COUNT] as usize).min(MAX_MINTERS);
    (0..count).find(|i| check::same(who, address_at(config, layout::MINTERS + 32 * i)))
}

/// Seeds with which the config PDA signs as mint authority.
pub(crate) fn config_seeds(bump: &[u8; 1]) -> [Seed<'_>; 2] {
    [Seed::from(CONFIG_SEED), Seed::from(bump)]
}

pub(crate) const CONFIG_BUMP_SEED: [u8; 1] = [CONFIG_BUMP];

pub(crate) fn write_u64(data: &mut [u8], offset: usize, v: u64) {
    data[offset..offset + 8].copy_from_slice(&v.to_le_bytes());
}
