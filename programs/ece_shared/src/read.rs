//! Bounds-checked little-endian readers for instruction data (Borsh layout).
use crate::anchor::AnchorError;
use pinocchio::{error::ProgramError, Address};

/// A cursor over instruction arguments; every read fails with
/// `InstructionDidNotDeserialize` instead of panicking on short data.
pub struct Args<'a> {
    data: &'a [u8],
}

impl<'a> Args<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], ProgramError> {
        if self.data.len() < n {
            return Err(AnchorError::InstructionDidNotDeserialize.into());
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    pub fn u8(&mut self) -> Result<u8, ProgramError> {
        Ok(self.bytes(1)?[0])
    }

    pub fn u16(&mut self) -> Result<u16, ProgramError> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self) -> Result<u32, ProgramError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn u64(&mut self) -> Result<u64, ProgramError> {
        let b = self.bytes(8)?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }

    pub fn address(&mut self) -> Result<&'a Address, ProgramError> {
        let b = self.bytes(32)?;
        // SAFETY: `Address` is `repr(transparent)` over `[u8; 32]` (align 1) and
        // `b` is exactly 32 bytes.
        Ok(unsafe { &*(b.as_ptr() as *const Address) })
    }

    /// A Borsh `Vec<Pubkey>` of at most `max` entries, as raw 32-byte chunks.
    pub fn address_vec(
        &mut self,
        max: usize,
        too_many: ProgramError,
    ) -> Result<&'a [u8], ProgramError> {
        let n = self.u32()? as usize;
        if n > max {
            return Err(too_many);
        }
        self.bytes(n * 32)
    }

    /// Bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.data
    }

    /// Trailing bytes are refused, as Borsh deserialisation does.
    pub fn finish(self) -> Result<(), ProgramError> {
        if self.data.is_empty() {
            Ok(())
        } else {
            Err(AnchorError::InstructionDidNotDeserialize.into())
        }
    }
}

/// The address stored at `offset` of an account's data.
#[inline(always)]
pub fn address_at(data: &[u8], offset: usize) -> &Address {
    let bytes: &[u8; 32] = data[offset..offset + 32].try_into().expect("32 bytes");
    // SAFETY: `Address` is `repr(transparent)` over `[u8; 32]`.
    unsafe { &*(bytes as *const [u8; 32] as *const Address) }
}
