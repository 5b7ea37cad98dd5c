//! Creating program-derived accounts.
use core::slice;
use pinocchio::{
    cpi::Signer,
    sysvars::{rent::Rent, Sysvar},
    AccountView, Address, ProgramResult,
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
