//! Key bytes stored without a second allocation when short.

/// Longest key kept inline in the entry (the enum stays 24 bytes).
const INLINE_CAP: usize = 22;

#[derive(Clone)]
pub enum Key {
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    Heap(Box<[u8]>),
}

impl Key {
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, buf } => &buf[..*len as usize],
            Key::Heap(b) => b,
        }
    }

    /// Heap bytes owned beyond the entry itself (memory accounting).
    pub fn heap_size(&self) -> usize {
        match self {
            Key::Inline { .. } => 0,
            Key::Heap(b) => b.len(),
        }
    }
}

impl From<&[u8]> for Key {
    #[inline]
    fn from(s: &[u8]) -> Self {
        if s.len() <= INLINE_CAP {
            let mut buf = [0; INLINE_CAP];
            buf[..s.len()].copy_from_slice(s);
            Key::Inline {
                len: s.len() as u8,
                buf,
            }
        } else {
            Key::Heap(s.into())
        }
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap() {
        assert_eq!(std::mem::size_of::<Key>(), 24);
        let short = Key::from(&b"key:000000012345"[..]);
        assert!(matches!(short, Key::Inline { .. }));
        assert_eq!(short.as_bytes(), b"key:000000012345");
        let long = Key::from(&[7u8; 40][..]);
        assert!(matches!(long, Key::Heap(_)));
        assert_eq!(long.as_bytes(), &[7u8; 40]);
        assert_eq!(Key::from(&b""[..]).as_bytes(), b"");
    }
}
