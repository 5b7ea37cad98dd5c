//! Accounts and instructions of `ece_token` that the treasury also needs: the
//! config PDA (mint and freeze authority, admin, cap, minters) and the mint PDA.
use crate::{anchor::discriminator, ids::ECE_TOKEN_ID};
use pinocchio::Address;

pub const CONFIG_SEED: &[u8] = b"config";
pub const MINT_SEED: &[u8] = b"mint";
/// Canonical bumps; a host test re-derives them.
pub const CONFIG_BUMP: u8 = 253;
pub const MINT_BUMP: u8 = 252;
pub const CONFIG_ADDRESS: Address =
    Address::derive_address_const(&[CONFIG_SEED], Some(CONFIG_BUMP), &ECE_TOKEN_ID);
pub const MINT_ADDRESS: Address =
    Address::derive_address_const(&[MINT_SEED], Some(MINT_BUMP), &ECE_TOKEN_ID);

pub const MAX_MINTERS: usize = 8;

/// `TokenConfig` layout (Anchor account, Borsh-compatible, fixed size).
pub mod layout {
    pub const DISCRIMINATOR: [u8; 8] = super::discriminator("account:TokenConfig");
    pub const ADMIN: usize = 8; // Pubkey
    pub const MINT: usize = 40; // Pubkey
    pub const CAP: usize = 72; // u64
    pub const TOTAL_MINTED: usize = 80; // u64
    pub const TOTAL_BURNED: usize = 88; // u64
    pub const DECIMALS: usize = 96; // u8
    pub const MINTER_COUNT: usize = 97; // u8
    pub const MINTERS: usize = 98; // [Pubkey; 8]
    pub const LEN: usize = MINTERS + 32 * super::MAX_MINTERS;
}

/// Instructions the treasury invokes with its multisig PDA as admin.
pub mod ix {
    use super::discriminator;
    pub const ADD_MINTER: [u8; 8] = discriminator("global:add_minter");
    pub const REMOVE_MINTER: [u8; 8] = discriminator("global:remove_minter");
    pub const SET_CAP: [u8; 8] = discriminator("global:set_cap");
    pub const SET_ADMIN: [u8; 8] = discriminator("global:set_admin");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_pdas_use_the_canonical_bumps() {
        let (config, bump) = Address::find_program_address(&[CONFIG_SEED], &ECE_TOKEN_ID);
        assert_eq!((config, bump), (CONFIG_ADDRESS, CONFIG_BUMP));
        let (mint, bump) = Address::find_program_address(&[MINT_SEED], &ECE_TOKEN_ID);
        assert_eq!((mint, bump), (MINT_ADDRESS, MINT_BUMP));
    }
}
