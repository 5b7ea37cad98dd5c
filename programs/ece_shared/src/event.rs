//! Anchor-compatible events: `sol_log_data` of `discriminator ++ borsh(event)`,
//! which Anchor's `EventParser` reads from the `Program data:` log line.
use pinocchio::Address;

/// Serialises one event on the stack (no allocator) and logs it.
pub struct Event<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Event<N> {
    pub fn new(disc: &[u8; 8]) -> Self {
        let mut e = Self {
            buf: [0; N],
            len: 0,
        };
        e.bytes(disc);
        e
    }

    /// Panics (aborting the instruction) if `N` is too small: a sizing bug,
    /// caught by the tests that emit every event at its largest.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
        self
    }

    pub fn address(&mut self, a: &Address) -> &mut Self {
        self.bytes(a.as_ref())
    }

    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes(&[v])
    }

    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// A Borsh `Vec<Pubkey>` from raw 32-byte chunks.
    pub fn address_vec(&mut self, raw: &[u8]) -> &mut Self {
        self.bytes(&((raw.len() / 32) as u32).to_le_bytes())
            .bytes(raw)
    }

    pub fn emit(&self) {
        #[cfg(any(target_os = "solana", target_arch = "bpf"))]
        {
            let data: &[u8] = &self.buf[..self.len];
            let slices: [&[u8]; 1] = [data];
            // SAFETY: `slices` is an array of (ptr, len) pairs, the layout
            // `sol_log_data` reads.
            unsafe {
                pinocchio::syscalls::sol_log_data(slices.as_ptr() as *const u8, 1);
            }
        }
    }
}
