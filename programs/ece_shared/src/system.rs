//! Creating and growing program-derived accounts.
use core::slice;
use pinocchio::{
    account::MAX_PERMITTED_DATA_INCREASE,
    cpi::Signer,
    error::ProgramError,
    sysvars::{rent::Rent, Sysvar},
    AccountView, Address, ProgramResult, UnsafeResize,
};
use pinocchio_system::instructions::{Allocate, Assign, CreateAccount, Transfer};

/// Size and owner of an account to create.
pub struct Space<'a> {
    pub len: usize,
    pub owner: &'a Address,
}

/// Creates the PDA `account` (`space.len` bytes, owned by `space.owner`), paid
/// by `payer` and signed by the PDA's seeds. (SBF passes at most five arguments
/// in registers, a returned `Result` taking one: hence `Space`.)
/// Someone may have sent lamports to the address first, which would make
/// `create_account` fail forever: then top up, allocate and assign instead.
pub fn create_pda(
    payer: &AccountView,
    account: &AccountView,
    signer: &Signer,
    space: &Space,
) -> ProgramResult {
    let (owner, space) = (space.owner, space.len);
    let rent = Rent::get()?.try_minimum_balance(space)?;
    let existing = account.lamports();
    if existing == 0 {
        return CreateAccount {
            from: payer,
            to: account,
            lamports: rent,
            space: space as u64,
            owner,
        }
        .invoke_signed(slice::from_ref(signer));
    }
    if existing < rent {
        Transfer {
            from: payer,
            to: account,
            lamports: rent - existing,
        }
        .invoke()?;
    }
    Allocate {
        account,
        space: space as u64,
    }
    .invoke_signed(slice::from_ref(signer))?;
    Assign { account, owner }.invoke_signed(slice::from_ref(signer))
}

/// Grows `account` (owned by the calling program, writable, no borrow of its
/// data alive) to `len` bytes, `payer` (a writable signer) topping its lamports
/// up to the rent-exempt minimum for `len`. At most `MAX_PERMITTED_DATA_INCREASE`
/// bytes per instruction: call it once, before any other resize. `short` is the
/// error when the payer cannot cover the rent.
pub fn grow(
    payer: &AccountView,
    account: &mut AccountView,
    len: usize,
    short: ProgramError,
) -> ProgramResult {
    if len.saturating_sub(account.data_len()) > MAX_PERMITTED_DATA_INCREASE {
        return Err(ProgramError::InvalidRealloc);
    }
    let extra = Rent::get()?
        .try_minimum_balance(len)?
        .saturating_sub(account.lamports());
    if extra > 0 {
        if payer.lamports() < extra {
            return Err(short);
        }
        Transfer {
            from: payer,
            to: account,
            lamports: extra,
        }
        .invoke()?;
    }
    // SAFETY: no borrow of the data is alive (the caller's contract) and the
    // growth since the instruction began is within the runtime's reserve
    // (checked above; the transfer does not resize the account).
    unsafe { account.resize(len) };
    Ok(())
}
