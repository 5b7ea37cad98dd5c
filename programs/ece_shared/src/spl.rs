//! The SPL Token program: the CPIs our programs make and the account fields
//! they read (each CPI helper takes at most five register arguments, the SBF
//! limit, counting a returned `Result`). Written against the instruction encoding rather than a client
//! crate so each CPI builds only what it sends.
use crate::{anchor::AnchorError, check, ids::SPL_TOKEN_ID};
use core::{ptr::read_unaligned, slice};
use pinocchio::{
    cpi::{invoke_signed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

pub const MINT_LEN: usize = 82;
pub const ACCOUNT_LEN: usize = 165;

/// Token account fields (`spl_token::state::Account`).
pub mod account {
    pub const MINT: usize = 0;
    pub const OWNER: usize = 32;
    pub const AMOUNT: usize = 64;
    pub const STATE: usize = 108;
}

/// Mint fields (`spl_token::state::Mint`).
pub mod mint {
    pub const SUPPLY: usize = 36;
    pub const IS_INITIALIZED: usize = 45;
}

/// A token account's data, after checking that SPL Token owns it and that it
/// is an initialised token account (not a mint, not closed).
#[inline(always)]
pub fn token_account(account: &AccountView) -> Result<&[u8], ProgramError> {
    check::owner(account, &SPL_TOKEN_ID)?;
    // SAFETY: read-only view of an account owned by SPL Token, which this
    // program cannot write; no mutable borrow of it exists here.
    let data = unsafe { account.borrow_unchecked() };
    if data.len() != ACCOUNT_LEN || data[account::STATE] == 0 {
        return Err(AnchorError::AccountDiscriminatorMismatch.into());
    }
    Ok(data)
}

/// The mint's current supply, after checking SPL Token owns an initialised mint.
#[inline(always)]
pub fn mint_supply(mint: &AccountView) -> Result<u64, ProgramError> {
    check::owner(mint, &SPL_TOKEN_ID)?;
    // SAFETY: as in `token_account`.
    let data = unsafe { mint.borrow_unchecked() };
    if data.len() != MINT_LEN || data[mint::IS_INITIALIZED] == 0 {
        return Err(AnchorError::AccountDiscriminatorMismatch.into());
    }
    Ok(u64_at(data, mint::SUPPLY))
}

#[inline(always)]
pub fn u64_at(data: &[u8], offset: usize) -> u64 {
    // SAFETY: callers pass offsets inside checked fixed-size layouts.
    unsafe { read_unaligned(data.as_ptr().add(offset) as *const u64) }
}

/// `InitializeMint2` with the same mint and freeze authority.
pub fn initialize_mint(mint: &AccountView, decimals: u8, authority: &Address) -> ProgramResult {
    let mut data = [0u8; 67];
    data[0] = 20;
    data[1] = decimals;
    data[2..34].copy_from_slice(authority.as_ref());
    data[34] = 1;
    data[35..67].copy_from_slice(authority.as_ref());
    let metas = [InstructionAccount::writable(mint.address())];
    invoke_signed(&view(&metas, &data), &[mint], &[])
}

/// `InitializeAccount3`: a token account of `mint` owned by `owner`.
pub fn initialize_account(
    account: &AccountView,
    mint: &AccountView,
    owner: &Address,
) -> ProgramResult {
    let mut data = [0u8; 33];
    data[0] = 18;
    data[1..33].copy_from_slice(owner.as_ref());
    let metas = [
        InstructionAccount::writable(account.address()),
        InstructionAccount::readonly(mint.address()),
    ];
    invoke_signed(&view(&metas, &data), &[account, mint], &[])
}

/// `Transfer` of `amount` from `source` by `authority`, a PDA signing with `signer`.
#[inline(always)]
pub fn transfer(
    [source, destination, authority]: [&AccountView; 3],
    amount: u64,
    signer: &Signer,
) -> ProgramResult {
    amount_ix(3, [source, destination, authority], amount, Some(signer))
}

/// `MintTo` of `amount` into `destination`, signed by the mint authority's seeds.
#[inline(always)]
pub fn mint_to(
    [mint, destination, authority]: [&AccountView; 3],
    amount: u64,
    signer: &Signer,
) -> ProgramResult {
    amount_ix(7, [mint, destination, authority], amount, Some(signer))
}

/// `Burn` of `amount` from `account` by its owner (who signed our instruction).
#[inline(always)]
pub fn burn([account, mint, owner]: [&AccountView; 3], amount: u64) -> ProgramResult {
    amount_ix(8, [account, mint, owner], amount, None)
}

/// Transfer, MintTo and Burn share one shape: two writable accounts, the
/// signing authority, and `tag ++ amount`. Inlined: a call costs CU on the
/// payout loop.
#[inline(always)]
fn amount_ix(
    tag: u8,
    accounts: [&AccountView; 3],
    amount: u64,
    signer: Option<&Signer>,
) -> ProgramResult {
    let metas = [
        InstructionAccount::writable(accounts[0].address()),
        InstructionAccount::writable(accounts[1].address()),
        InstructionAccount::readonly_signer(accounts[2].address()),
    ];
    let mut data = [0u8; 9];
    data[0] = tag;
    data[1..9].copy_from_slice(&amount.to_le_bytes());
    invoke_signed(
        &view(&metas, &data),
        &accounts,
        signer.map_or(&[], slice::from_ref),
    )
}

#[inline(always)]
fn view<'a, 'b, 'd>(
    accounts: &'b [InstructionAccount<'a>],
    data: &'d [u8],
) -> InstructionView<'a, 'b, 'static, 'd> {
    InstructionView {
        program_id: &SPL_TOKEN_ID,
        data,
        accounts,
    }
}
