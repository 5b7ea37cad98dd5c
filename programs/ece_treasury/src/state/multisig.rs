//! The `Multisig` account: members with permissions, threshold, time lock, risk
//! policy and the proposal counters. Fixed size (at most 10 members).
use crate::TreasuryError;
use ece_shared::{anchor::discriminator, check, ids::SYSTEM_PROGRAM_ID, read::address_at};
use pinocchio::{error::ProgramError, Address};

pub const SEED: &[u8] = b"multisig";
pub const MAX_MEMBERS: usize = 10;
pub const MAX_RISK_TIERS: usize = 4;
/// Squads v4 caps its time lock at three months too.
pub const MAX_TIME_LOCK: u32 = 90 * 24 * 3600;
/// `extra_approvals` value meaning "every voter must approve".
pub const ALL_VOTERS: u8 = u8::MAX;

/// Member permission bits (Squads v4's Initiate / Vote / Execute).
pub const PROPOSE: u8 = 1;
pub const VOTE: u8 = 2;
pub const EXECUTE: u8 = 4;

pub const DISCRIMINATOR: [u8; 8] = discriminator("account:Multisig");
pub const CREATE_KEY: usize = 8; // Pubkey
pub const BUMP: usize = 40; // u8
pub const THRESHOLD: usize = 41; // u8
pub const MEMBER_COUNT: usize = 42; // u8
pub const TIME_LOCK: usize = 43; // u32 seconds
pub const TRANSACTION_INDEX: usize = 47; // u64
pub const STALE_INDEX: usize = 55; // u64
pub const TIER_COUNT: usize = 63; // u8
pub const TIERS: usize = 64; // [RiskTier { min_score: u8, extra_approvals: u8 }; 4]
pub const MEMBERS: usize = 72; // [Member { key: Pubkey, permissions: u8 }; 10]
pub const MEMBER_LEN: usize = 33;
pub const LEN: usize = MEMBERS + MEMBER_LEN * MAX_MEMBERS;

pub fn member_key(ms: &[u8], i: usize) -> &Address {
    address_at(ms, MEMBERS + MEMBER_LEN * i)
}

pub fn member_permissions(ms: &[u8], i: usize) -> u8 {
    ms[MEMBERS + MEMBER_LEN * i + 32]
}

pub fn member_count(ms: &[u8]) -> usize {
    (ms[MEMBER_COUNT] as usize).min(MAX_MEMBERS)
}

/// Slot of `who` among the members.
pub fn find_member(ms: &[u8], who: &Address) -> Option<usize> {
    (0..member_count(ms)).find(|&i| check::same(who, member_key(ms, i)))
}

/// The slot of `who`, who must be a member holding `permission`.
pub fn require_member(ms: &[u8], who: &Address, permission: u8) -> Result<usize, ProgramError> {
    let slot = find_member(ms, who).ok_or(TreasuryError::NotMember)?;
    if member_permissions(ms, slot) & permission == 0 {
        return Err(TreasuryError::MissingPermission.into());
    }
    Ok(slot)
}

pub fn voters(ms: &[u8]) -> u8 {
    (0..member_count(ms))
        .filter(|&i| member_permissions(ms, i) & VOTE != 0)
        .count() as u8
}

/// Approvals a proposal with `risk_score` needs: the threshold, raised by the
/// highest policy tier the score reaches (never above the number of voters).
pub fn required_approvals(ms: &[u8], risk_score: u8) -> u8 {
    let threshold = ms[THRESHOLD];
    let voters = voters(ms);
    let mut required = threshold;
    for t in 0..(ms[TIER_COUNT] as usize).min(MAX_RISK_TIERS) {
        let (min_score, extra) = (ms[TIERS + 2 * t], ms[TIERS + 2 * t + 1]);
        if risk_score >= min_score {
            required = if extra == ALL_VOTERS {
                voters
            } else {
                threshold.saturating_add(extra).min(voters)
            };
        }
    }
    required.max(threshold)
}

/// Writes a Borsh `Vec<RiskTier>` (already read from `raw`) into the policy.
pub fn set_risk_policy(ms: &mut [u8], raw: &[u8]) {
    ms[TIERS..MEMBERS].fill(0);
    ms[TIERS..TIERS + raw.len()].copy_from_slice(raw);
    ms[TIER_COUNT] = (raw.len() / 2) as u8;
}

/// Every rule a member set and policy must satisfy, checked after creation and
/// after every config change.
pub fn validate(ms: &[u8]) -> Result<(), ProgramError> {
    let n = ms[MEMBER_COUNT] as usize;
    if n > MAX_MEMBERS {
        return Err(TreasuryError::TooManyMembers.into());
    }
    let mut roles = 0u8;
    for i in 0..n {
        let key = member_key(ms, i);
        let permissions = member_permissions(ms, i);
        if check::same(key, &SYSTEM_PROGRAM_ID) {
            return Err(TreasuryError::InvalidMember.into());
        }
        if permissions == 0 || permissions > (PROPOSE | VOTE | EXECUTE) {
            return Err(TreasuryError::InvalidPermissions.into());
        }
        if (0..i).any(|j| check::same(member_key(ms, j), key)) {
            return Err(TreasuryError::DuplicateMember.into());
        }
        roles |= permissions;
    }
    let threshold = ms[THRESHOLD];
    if threshold == 0 || threshold > voters(ms) {
        return Err(TreasuryError::InvalidThreshold.into());
    }
    if roles & PROPOSE == 0 || roles & EXECUTE == 0 {
        return Err(TreasuryError::MissingRole.into());
    }
    if super::get_u32(ms, TIME_LOCK) > MAX_TIME_LOCK {
        return Err(TreasuryError::TimeLockTooLong.into());
    }
    let tiers = ms[TIER_COUNT] as usize;
    if tiers > MAX_RISK_TIERS {
        return Err(TreasuryError::InvalidRiskPolicy.into());
    }
    for t in 0..tiers {
        let (min_score, extra) = (ms[TIERS + 2 * t], ms[TIERS + 2 * t + 1]);
        if min_score > 100 || extra == 0 || (t > 0 && min_score <= ms[TIERS + 2 * (t - 1)]) {
            return Err(TreasuryError::InvalidRiskPolicy.into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A multisig with `n` members of `permissions`, `threshold`, and the
    /// issue's policy (≥40 → +1, ≥70 → every voter).
    fn multisig(permissions: &[u8], threshold: u8) -> [u8; LEN] {
        let mut ms = [0u8; LEN];
        ms[MEMBER_COUNT] = permissions.len() as u8;
        ms[THRESHOLD] = threshold;
        for (i, p) in permissions.iter().enumerate() {
            ms[MEMBERS + MEMBER_LEN * i] = i as u8 + 1;
            ms[MEMBERS + MEMBER_LEN * i + 32] = *p;
        }
        set_risk_policy(&mut ms, &[40, 1, 70, ALL_VOTERS]);
        ms
    }

    #[test]
    fn required_approvals_follow_the_risk_policy() {
        let ms = multisig(&[7, 7, 7, 7, 7], 2);
        assert_eq!(required_approvals(&ms, 0), 2);
        assert_eq!(required_approvals(&ms, 39), 2);
        assert_eq!(required_approvals(&ms, 40), 3);
        assert_eq!(required_approvals(&ms, 69), 3);
        assert_eq!(required_approvals(&ms, 70), 5);
        assert_eq!(required_approvals(&ms, 100), 5);
    }

    #[test]
    fn extra_approvals_never_exceed_the_voters() {
        // Two voters and an executor without a vote: +1 on threshold 2 stays 2.
        let ms = multisig(&[7, 7, EXECUTE], 2);
        assert_eq!(voters(&ms), 2);
        assert_eq!(required_approvals(&ms, 50), 2);
    }

    #[test]
    fn validate_rejects_bad_member_sets() {
        assert!(validate(&multisig(&[7, 7, 7], 2)).is_ok());
        assert!(validate(&multisig(&[7, 7, 7], 0)).is_err());
        assert!(validate(&multisig(&[7, 7, EXECUTE], 3)).is_err());
        assert!(validate(&multisig(&[VOTE, VOTE], 1)).is_err());
        assert!(validate(&multisig(&[8, 7], 1)).is_err());
        let mut dup = multisig(&[7, 7], 1);
        dup[MEMBERS + MEMBER_LEN] = 1; // second member's key = first's
        assert!(validate(&dup).is_err());
    }
}
