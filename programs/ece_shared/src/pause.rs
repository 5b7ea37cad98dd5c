//! The pause-state account of `ece_pause`, and the check every other program
//! runs before changing state.
use crate::{anchor::discriminator, check, ids::ECE_PAUSE_ID};
use pinocchio::{error::ProgramError, AccountView, Address};

pub const PAUSE_SEED: &[u8] = b"pause";
/// Canonical bump of the pause PDA; a host test re-derives it.
pub const PAUSE_BUMP: u8 = 255;
pub const PAUSE_STATE_ADDRESS: Address =
    Address::derive_address_const(&[PAUSE_SEED], Some(PAUSE_BUMP), &ECE_PAUSE_ID);

pub const MAX_GUARDIANS: usize = 8;

/// `PauseState` layout (Anchor account, Borsh-compatible, fixed size).
pub mod layout {
    pub const DISCRIMINATOR: [u8; 8] = super::discriminator("account:PauseState");
    pub const AUTHORITY: usize = 8; // Pubkey
    pub const PAUSED: usize = 40; // bool
    pub const BUMP: usize = 41; // u8
    pub const GUARDIAN_COUNT: usize = 42; // u8
    pub const REASON: usize = 43; // u16, reason of the last pause
    pub const LAST_CHANGED_BY: usize = 45; // Pubkey
    pub const LAST_CHANGED_SLOT: usize = 77; // u64
    pub const GUARDIANS: usize = 85; // [Pubkey; 8]
    pub const LEN: usize = GUARDIANS + 32 * super::MAX_GUARDIANS;
}

/// Error code every ECE program returns, and lists in its IDL as `Paused`,
/// when it refuses a state change because the platform is paused.
pub const PAUSED_ERROR: u32 = 6100;

/// Refuses while the platform is paused. Checks the account is the real pause
/// PDA, owned by `ece_pause`, with the `PauseState` discriminator, before
/// trusting its flag.
#[inline(always)]
pub fn require_not_paused(pause_state: &AccountView) -> Result<(), ProgramError> {
    check::address(pause_state, &PAUSE_STATE_ADDRESS)?;
    check::owner(pause_state, &ECE_PAUSE_ID)?;
    // SAFETY: read-only access to an account owned by ece_pause, which no other
    // program can write, so no conflicting mutable borrow can exist.
    let data = unsafe { pause_state.borrow_unchecked() };
    check::discriminator(data, &layout::DISCRIMINATOR, layout::LEN)?;
    if data[layout::PAUSED] != 0 {
        return Err(ProgramError::Custom(PAUSED_ERROR));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_pda_uses_the_canonical_bump() {
        let (addr, bump) = Address::find_program_address(&[PAUSE_SEED], &ECE_PAUSE_ID);
        assert_eq!(bump, PAUSE_BUMP);
        assert_eq!(addr, PAUSE_STATE_ADDRESS);
    }
}
