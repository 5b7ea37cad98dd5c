//! Finding a program address with its canonical bump.
use pinocchio::Address;

/// `find_program_address` without the syscall, which charges 1,500 CU per bump
/// it tries: here each try is one `sha256` and one curve check (159 CU). The
/// result is the same (the runtime's rule: the first bump from 255 down whose
/// address is off the ed25519 curve), so seeds still map to one address.
#[inline(always)]
pub fn find<const N: usize>(seeds: &[&[u8]; N], program_id: &Address) -> (Address, u8) {
    #[cfg(any(target_os = "solana", target_arch = "bpf"))]
    {
        let mut bump = u8::MAX;
        loop {
            let address = Address::derive_address(seeds, Some(bump), program_id);
            if !on_curve(&address) {
                return (address, bump);
            }
            // All 256 bumps on the curve has probability 2^-256.
            bump = bump.checked_sub(1).expect("a bump off the curve");
        }
    }
    #[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
    Address::find_program_address(seeds, program_id)
}

#[cfg(any(target_os = "solana", target_arch = "bpf"))]
#[inline(always)]
fn on_curve(address: &Address) -> bool {
    use solana_define_syscall::definitions::sol_curve_validate_point;
    const CURVE25519_EDWARDS: u64 = 0;
    let mut ignored = 0u8;
    // SAFETY: the syscall reads 32 bytes at the address; 0 means a valid point.
    unsafe {
        sol_curve_validate_point(CURVE25519_EDWARDS, address.as_ref().as_ptr(), &mut ignored) == 0
    }
}
