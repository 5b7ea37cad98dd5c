pub mod append_entries;
pub mod close_proposal;
pub mod create_multisig;
pub mod create_proposal;
pub mod create_vault;
pub mod execute;
pub mod vote;

use crate::{
    state::{multisig as ms, program_account, proposal as p},
    TreasuryError,
};
use ece_shared::{
    check,
    ids::SYSTEM_PROGRAM_ID,
    pause::{require_not_paused, PAUSE_STATE_ADDRESS},
    pda,
    read::address_at,
    spl::u64_at,
    system::{create_pda, Space},
};
use pinocchio::{
    cpi::{Seed, Signer},
    error::ProgramError,
    sysvars::{clock::Clock, Sysvar},
    AccountView,
};

/// The multisig and one of its proposals, both checked (owner, discriminator,
/// the proposal belongs to the multisig; the proposal writable).
pub(crate) fn load<'a>(
    multisig: &'a AccountView,
    proposal: &'a mut AccountView,
) -> Result<(&'a [u8], &'a mut [u8]), ProgramError> {
    program_account(multisig, &ms::DISCRIMINATOR, ms::LEN)?;
    check::writable(proposal)?;
    program_account(proposal, &p::DISCRIMINATOR, p::HEADER_LEN)?;
    // SAFETY: distinct accounts (their discriminators differ), owned by this
    // program; nothing else borrows them during the instruction.
    let (ms_data, p_data) =
        unsafe { (multisig.borrow_unchecked(), proposal.borrow_unchecked_mut()) };
    if !check::same(address_at(p_data, p::MULTISIG), multisig.address()) {
        return Err(TreasuryError::WrongMultisig.into());
    }
    Ok((ms_data, p_data))
}

/// While paused only `Pause` proposals move; they still need the real pause account.
pub(crate) fn pause_gate(pause_state: &AccountView, kind: u8) -> Result<(), ProgramError> {
    if kind == p::kind::PAUSE {
        check::address(pause_state, &PAUSE_STATE_ADDRESS)
    } else {
        require_not_paused(pause_state)
    }
}

/// Created before the last executed config change, so its approvals and
/// required count may no longer reflect the members.
pub(crate) fn is_stale(ms_data: &[u8], p_data: &[u8]) -> bool {
    u64_at(p_data, p::INDEX) <= u64_at(ms_data, ms::STALE_INDEX)
}

pub(crate) fn now() -> Result<i64, ProgramError> {
    Ok(Clock::get()?.unix_timestamp)
}

/// Seeds with which the multisig PDA signs for its vaults and as authority.
pub(crate) fn multisig_seeds<'a>(ms_data: &'a [u8], bump: &'a [u8; 1]) -> [Seed<'a>; 3] {
    [
        Seed::from(ms::SEED),
        Seed::from(&ms_data[ms::CREATE_KEY..ms::CREATE_KEY + 32]),
        Seed::from(bump),
    ]
}

/// Creates `account` at the canonical PDA of `seeds` (a new multisig, vault
/// or proposal), paid by `payer`, and returns its bump. Another address is
/// refused (`ConstraintSeeds`), and so is an account that already exists.
#[inline(always)]
pub(crate) fn create_at<const N: usize>(
    payer: &AccountView,
    account: &AccountView,
    seeds: &[&[u8]; N],
    space: &Space,
) -> Result<u8, ProgramError> {
    let (expected, bump) = pda::find(seeds, &crate::ID);
    check::address(account, &expected)?;
    if !account.owned_by(&SYSTEM_PROGRAM_ID) || !account.is_data_empty() {
        return Err(TreasuryError::AlreadyInitialized.into());
    }
    let bump_seed = [bump];
    let signer_seeds: [Seed; 5] = core::array::from_fn(|i| match i {
        i if i < N => Seed::from(seeds[i]),
        i if i == N => Seed::from(&bump_seed),
        _ => Seed::from(&[][..]),
    });
    create_pda(payer, account, &Signer::from(&signer_seeds[..=N]), space)?;
    Ok(bump)
}

/// Sum of Borsh `PayoutEntry` amounts in `raw`, each non-zero.
pub(crate) fn sum_entries(raw: &[u8], mut sum: u64) -> Result<u64, ProgramError> {
    for entry in raw.chunks_exact(p::payout::ENTRY_LEN) {
        let amount = u64_at(entry, 32);
        if amount == 0 {
            return Err(TreasuryError::ZeroAmount.into());
        }
        sum = sum
            .checked_add(amount)
            .ok_or(TreasuryError::ArithmeticOverflow)?;
    }
    Ok(sum)
}
