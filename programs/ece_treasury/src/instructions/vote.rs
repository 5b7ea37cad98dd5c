//! `approve`, `reject`, `cancel`: one vote per member per proposal.
//! A proposal is approved when approvals reach its required count, rejected
//! once enough voters reject that approval became impossible, and cancelled
//! (after approval) when as many voters as it required vote to cancel. The
//! creator may withdraw a proposal that has not been approved.
use super::{is_stale, load, now, pause_gate};
use crate::{
    state::{
        get_u16, multisig as ms,
        proposal::{self as p, status},
        put_u16, put_u64,
    },
    TreasuryError,
};
use ece_shared::{
    anchor::discriminator,
    check,
    event::Event,
    read::{address_at, Args},
};
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

pub const APPROVE: [u8; 8] = discriminator("global:approve");
pub const REJECT: [u8; 8] = discriminator("global:reject");
pub const CANCEL: [u8; 8] = discriminator("global:cancel");
const APPROVED: [u8; 8] = discriminator("event:ProposalApproved");
const REJECTED: [u8; 8] = discriminator("event:ProposalRejected");
const CANCELLED: [u8; 8] = discriminator("event:ProposalCancelled");

/// Accounts: member (signer), multisig, proposal (writable), pause_state.
pub fn approve(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (member, multisig, mut proposal, pause_state) = accounts4(accounts, data)?;
    let proposal_address = *proposal.address();
    let (ms_data, pd) = load(&multisig, &mut proposal)?;
    let bit = open_vote(ms_data, pd, &member, &pause_state)?;
    put_u16(pd, p::APPROVED_MASK, get_u16(pd, p::APPROVED_MASK) | bit);
    pd[p::APPROVALS] += 1;
    if pd[p::APPROVALS] >= pd[p::REQUIRED] {
        pd[p::STATUS] = status::APPROVED;
        put_u64(pd, p::APPROVED_AT, now()? as u64);
    }
    emit(
        &APPROVED,
        [multisig.address(), &proposal_address, member.address()],
        pd[p::APPROVALS],
        pd,
    );
    Ok(())
}

/// Accounts: member (signer), multisig, proposal (writable), pause_state.
pub fn reject(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (member, multisig, mut proposal, pause_state) = accounts4(accounts, data)?;
    let proposal_address = *proposal.address();
    let (ms_data, pd) = load(&multisig, &mut proposal)?;
    let bit = open_vote(ms_data, pd, &member, &pause_state)?;
    put_u16(pd, p::REJECTED_MASK, get_u16(pd, p::REJECTED_MASK) | bit);
    pd[p::REJECTIONS] += 1;
    if pd[p::REJECTIONS] > pd[p::VOTERS] - pd[p::REQUIRED] {
        pd[p::STATUS] = status::REJECTED;
    }
    emit(
        &REJECTED,
        [multisig.address(), &proposal_address, member.address()],
        pd[p::REJECTIONS],
        pd,
    );
    Ok(())
}

/// Accounts: member (signer), multisig, proposal (writable), pause_state.
pub fn cancel(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (member, multisig, mut proposal, pause_state) = accounts4(accounts, data)?;
    let proposal_address = *proposal.address();
    let (ms_data, pd) = load(&multisig, &mut proposal)?;
    pause_gate(&pause_state, pd[p::ACTION])?;
    match pd[p::STATUS] {
        status::DRAFT | status::ACTIVE => {
            if !check::same(member.address(), address_at(pd, p::CREATOR)) {
                return Err(TreasuryError::CannotCancel.into());
            }
            pd[p::STATUS] = status::CANCELLED;
        }
        status::APPROVED | status::EXECUTING => {
            let slot = ms::require_member(ms_data, member.address(), ms::VOTE)?;
            if is_stale(ms_data, pd) {
                return Err(TreasuryError::ProposalStale.into());
            }
            let bit = 1u16 << slot;
            let mask = get_u16(pd, p::CANCELLED_MASK);
            if mask & bit != 0 {
                return Err(TreasuryError::AlreadyVoted.into());
            }
            put_u16(pd, p::CANCELLED_MASK, mask | bit);
            pd[p::CANCELLATIONS] += 1;
            if pd[p::CANCELLATIONS] >= pd[p::REQUIRED] {
                pd[p::STATUS] = status::CANCELLED;
            }
        }
        _ => return Err(TreasuryError::CannotCancel.into()),
    }
    emit(
        &CANCELLED,
        [multisig.address(), &proposal_address, member.address()],
        pd[p::CANCELLATIONS],
        pd,
    );
    Ok(())
}

fn accounts4(
    accounts: &[AccountView],
    data: &[u8],
) -> Result<(AccountView, AccountView, AccountView, AccountView), ProgramError> {
    check::count(accounts, 4)?;
    Args::new(data).finish()?;
    let member = accounts[0];
    check::signer(&member)?;
    Ok((member, accounts[1], accounts[2], accounts[3]))
}

/// Checks `member` may vote on the open proposal now; returns its vote bit.
/// Inlined: too many arguments for SBF registers.
#[inline(always)]
fn open_vote(
    ms_data: &[u8],
    pd: &[u8],
    member: &AccountView,
    pause_state: &AccountView,
) -> Result<u16, ProgramError> {
    pause_gate(pause_state, pd[p::ACTION])?;
    let slot = ms::require_member(ms_data, member.address(), ms::VOTE)?;
    if pd[p::STATUS] != status::ACTIVE {
        return Err(TreasuryError::ProposalNotActive.into());
    }
    if is_stale(ms_data, pd) {
        return Err(TreasuryError::ProposalStale.into());
    }
    let bit = 1u16 << slot;
    if (get_u16(pd, p::APPROVED_MASK) | get_u16(pd, p::REJECTED_MASK)) & bit != 0 {
        return Err(TreasuryError::AlreadyVoted.into());
    }
    Ok(bit)
}

/// `{ multisig, proposal, member, count, required, status }`.
fn emit(disc: &[u8; 8], [multisig, proposal, member]: [&Address; 3], count: u8, pd: &[u8]) {
    Event::<112>::new(disc)
        .address(multisig)
        .address(proposal)
        .address(member)
        .u8(count)
        .u8(pd[p::REQUIRED])
        .u8(pd[p::STATUS])
        .emit();
}
