//! `Config` proposals: a list of `ConfigAction`s applied to the multisig in
//! order, then validated as a whole. The same code checks a proposal when it is
//! created (on a copy) and applies it when executed, so both agree.
use super::{multisig as ms_layout, put_u32};
use crate::TreasuryError;
use ece_shared::read::Args;
use pinocchio::error::ProgramError;

pub const MAX_ACTIONS: usize = 8;

const ADD_MEMBER: u8 = 0;
const REMOVE_MEMBER: u8 = 1;
const SET_THRESHOLD: u8 = 2;
const SET_TIME_LOCK: u8 = 3;
const SET_RISK_POLICY: u8 = 4;

/// Reads a Borsh `Vec<ConfigAction>` from `args` and applies it to `ms`.
pub fn apply(ms: &mut [u8], args: &mut Args) -> Result<(), ProgramError> {
    let n = args.u32()? as usize;
    if n == 0 || n > MAX_ACTIONS {
        return Err(TreasuryError::InvalidConfigActions.into());
    }
    for _ in 0..n {
        match args.u8()? {
            ADD_MEMBER => {
                let key = args.address()?;
                let permissions = args.u8()?;
                if ms_layout::find_member(ms, key).is_some() {
                    return Err(TreasuryError::DuplicateMember.into());
                }
                let count = ms_layout::member_count(ms);
                if count >= ms_layout::MAX_MEMBERS {
                    return Err(TreasuryError::TooManyMembers.into());
                }
                let at = ms_layout::MEMBERS + ms_layout::MEMBER_LEN * count;
                ms[at..at + 32].copy_from_slice(key.as_ref());
                ms[at + 32] = permissions;
                ms[ms_layout::MEMBER_COUNT] = (count + 1) as u8;
            }
            REMOVE_MEMBER => {
                let key = args.address()?;
                let slot = ms_layout::find_member(ms, key).ok_or(TreasuryError::MemberNotFound)?;
                let count = ms_layout::member_count(ms);
                // Keep the remaining members in order.
                let at = ms_layout::MEMBERS + ms_layout::MEMBER_LEN * slot;
                let end = ms_layout::MEMBERS + ms_layout::MEMBER_LEN * count;
                ms.copy_within(at + ms_layout::MEMBER_LEN..end, at);
                ms[end - ms_layout::MEMBER_LEN..end].fill(0);
                ms[ms_layout::MEMBER_COUNT] = (count - 1) as u8;
            }
            SET_THRESHOLD => ms[ms_layout::THRESHOLD] = args.u8()?,
            SET_TIME_LOCK => put_u32(ms, ms_layout::TIME_LOCK, args.u32()?),
            SET_RISK_POLICY => {
                let tiers = risk_policy(args)?;
                ms_layout::set_risk_policy(ms, tiers);
            }
            _ => return Err(TreasuryError::InvalidConfigActions.into()),
        }
    }
    ms_layout::validate(ms)
}

/// A Borsh `Vec<RiskTier>` as raw 2-byte tiers.
pub fn risk_policy<'a>(args: &mut Args<'a>) -> Result<&'a [u8], ProgramError> {
    let n = args.u32()? as usize;
    if n > ms_layout::MAX_RISK_TIERS {
        return Err(TreasuryError::InvalidRiskPolicy.into());
    }
    args.bytes(2 * n)
}
