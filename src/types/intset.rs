//! Redis's `intset`: a sorted array of integers in one allocation, each
//! stored in the narrowest width (2, 4 or 8 bytes) that holds every
//! member; adding a wider integer upgrades the whole array. The buffer
//! is sized exactly (a boxed slice, 16 bytes of header): like Redis's
//! intset it is reallocated on every change, which keeps a small set at
//! its bytes and lets the set live inside the key's entry.

#[derive(Clone, Default)]
pub struct IntSet {
    /// Little-endian members, `width` bytes each, ascending.
    bytes: Box<[u8]>,
    width: u8,
}

fn width_for(v: i64) -> u8 {
    if i16::try_from(v).is_ok() {
        2
    } else if i32::try_from(v).is_ok() {
        4
    } else {
        8
    }
}

impl IntSet {
    pub fn new() -> Self {
        IntSet {
            bytes: Box::default(),
            width: 2,
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.bytes.len() / self.width as usize
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        let w = self.width as usize;
        let b = &self.bytes[i * w..i * w + w];
        match w {
            2 => i16::from_le_bytes([b[0], b[1]]) as i64,
            4 => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64,
            _ => {
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                i64::from_le_bytes(a)
            }
        }
    }

    fn put(&mut self, i: usize, v: i64) {
        let w = self.width as usize;
        let b = &mut self.bytes[i * w..i * w + w];
        b.copy_from_slice(&v.to_le_bytes()[..w]);
    }

    /// Ok(index) if present, Err(insertion point) otherwise.
    fn search(&self, v: i64) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let m = self.get(mid);
            if m == v {
                return Ok(mid);
            }
            if m < v {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Err(lo)
    }

    pub fn contains(&self, v: i64) -> bool {
        width_for(v) <= self.width && self.search(v).is_ok()
    }

    /// Adds `v`; false if it was already there.
    pub fn insert(&mut self, v: i64) -> bool {
        let w = width_for(v);
        if w > self.width {
            self.upgrade(w);
        }
        match self.search(v) {
            Ok(_) => false,
            Err(pos) => {
                let w = self.width as usize;
                let at = pos * w;
                let mut b = std::mem::take(&mut self.bytes).into_vec();
                b.reserve_exact(w);
                b.splice(at..at, v.to_le_bytes()[..w].iter().copied());
                self.bytes = b.into_boxed_slice();
                true
            }
        }
    }

    fn upgrade(&mut self, w: u8) {
        let old = std::mem::replace(
            self,
            IntSet {
                bytes: Box::default(),
                width: w,
            },
        );
        self.bytes = vec![0; old.len() * w as usize].into_boxed_slice();
        for i in 0..old.len() {
            self.put(i, old.get(i));
        }
    }

    pub fn remove(&mut self, v: i64) -> bool {
        if width_for(v) > self.width {
            return false;
        }
        match self.search(v) {
            Ok(i) => {
                self.remove_at(i);
                true
            }
            Err(_) => false,
        }
    }

    pub fn remove_at(&mut self, i: usize) -> i64 {
        let v = self.get(i);
        let w = self.width as usize;
        let mut b = std::mem::take(&mut self.bytes).into_vec();
        b.drain(i * w..i * w + w);
        self.bytes = b.into_boxed_slice();
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Bytes held (memory accounting).
    pub fn heap_size(&self) -> usize {
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_upgrading() {
        let mut s = IntSet::new();
        assert!(s.insert(5));
        assert!(s.insert(-3));
        assert!(!s.insert(5));
        assert!(s.heap_size() >= 4);
        assert!(s.insert(100_000));
        assert!(s.insert(i64::MIN));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![i64::MIN, -3, 5, 100_000]);
        assert!(s.contains(-3));
        assert!(!s.contains(4));
        assert!(s.remove(5));
        assert!(!s.remove(5));
        assert_eq!(s.len(), 3);
        let mut t = IntSet::new();
        t.insert(1);
        assert!(!t.contains(1 << 40));
        assert!(!t.remove(1 << 40));
    }
}
