pub mod admin;
pub mod burn;
pub mod initialize;
pub mod mint_to;
pub mod minters;

use crate::TokenError;
use ece_shared::{
    anchor::AnchorError,
    check,
    ids::SPL_TOKEN_ID,
    pause::require_not_paused,
    read::{address_at, Args},
    spl,
    token::{layout, CONFIG_ADDRESS, CONFIG_BUMP, CONFIG_SEED, MAX_MINTERS, MINT_ADDRESS},
};
use pinocchio::{account::RefMut, cpi::Seed, error::ProgramError, AccountView, Address};

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

/// The admin instructions that take one address (`add_minter`,
/// `remove_minter`, `set_admin`): accounts admin (signer), config (writable).
/// Returns the argument, the admin and the config data to change.
#[inline(always)]
pub(crate) fn admin_address_ix<'a>(
    accounts: &'a mut [AccountView],
    data: &[u8],
) -> Result<(Address, Address, RefMut<'a, [u8]>), ProgramError> {
    check::count(accounts, 2)?;
    let mut args = Args::new(data);
    let address = *args.address()?;
    args.finish()?;
    let admin = accounts[0];
    let config = config_account(accounts, 1)?;
    let cfg = config.try_borrow_mut()?;
    let admin = require_admin(&admin, &cfg)?;
    Ok((address, admin, cfg))
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

/// What `mint_to` and `burn` both check: the actor signed, the platform is not
/// paused, the ECE mint and SPL Token are the real ones, the amount is not
/// zero and the token account is an ECE account.
#[inline(always)]
pub(crate) fn supply_change_checks(
    [actor, token_account, mint, token_program, pause_state]: [&AccountView; 5],
    amount: u64,
) -> Result<(), ProgramError> {
    check::signer(actor)?;
    require_not_paused(pause_state)?;
    check::address(mint, &MINT_ADDRESS)?;
    check::program(token_program, &SPL_TOKEN_ID)?;
    if amount == 0 {
        return Err(TokenError::ZeroAmount.into());
    }
    let data = spl::token_account(token_account)?;
    if !check::same(address_at(data, spl::account::MINT), &MINT_ADDRESS) {
        return Err(TokenError::WrongMint.into());
    }
    Ok(())
}

pub(crate) fn write_u64(data: &mut [u8], offset: usize, v: u64) {
    data[offset..offset + 8].copy_from_slice(&v.to_le_bytes());
}
