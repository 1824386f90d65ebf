//! Short byte and count labels for charts, in integer arithmetic (the wasm ships no float
//! formatter): "8.45 MB", "7.87 MiB", "8,448,728 B".

/// How bytes are written: exact, SI (kB = 1000) or IEC (KiB = 1024).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Units {
    Bytes,
    Si,
    Iec,
}

impl Units {
    pub fn parse(s: &str) -> Option<Units> {
        match s {
            "bytes" => Some(Units::Bytes),
            "si" => Some(Units::Si),
            "iec" => Some(Units::Iec),
            _ => None,
        }
    }
}

/// 1234567 → "1,234,567".
pub fn grouped(n: u64) -> String {
    crate::model::layout::group_digits(n)
}

/// Bytes with three significant digits in the unit system, or exact with separators.
pub fn bytes(b: u64, units: Units) -> String {
    let (base, names): (u64, [&str; 5]) = match units {
        Units::Bytes => return format!("{} B", grouped(b)),
        Units::Si => (1000, ["B", "kB", "MB", "GB", "TB"]),
        Units::Iec => (1024, ["B", "KiB", "MiB", "GiB", "TiB"]),
    };
    let mut i = 0;
    let mut scale = 1u128;
    while i < 4 && b as u128 >= scale * base as u128 {
        scale *= base as u128;
        i += 1;
    }
    if i == 0 {
        return format!("{b} B");
    }
    // Rounded to two decimals below 100, to one above.
    let hundredths = ((b as u128 * 100 + scale / 2) / scale) as u64;
    if hundredths >= 100 * 100 {
        let tenths = ((b as u128 * 10 + scale / 2) / scale) as u64;
        format!("{}.{} {}", tenths / 10, tenths % 10, names[i])
    } else {
        format!("{}.{:02} {}", hundredths / 100, hundredths % 100, names[i])
    }
}

/// A power of ten for an axis: 1, 10, 100, 1k, 10k, 100k, 1M, ... 1G, 1T.
pub fn power_label(exp: u32) -> String {
    let names = ["", "k", "M", "G", "T", "P"];
    let (group, rest) = ((exp / 3) as usize, exp % 3);
    format!("{}{}", 10u64.pow(rest), names.get(group).unwrap_or(&"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_labels() {
        assert_eq!(bytes(8_448_728, Units::Si), "8.45 MB");
        assert_eq!(bytes(8_448_728, Units::Iec), "8.06 MiB");
        assert_eq!(bytes(8_448_728, Units::Bytes), "8,448,728 B");
        assert_eq!(bytes(999, Units::Si), "999 B");
        assert_eq!(bytes(123_456_789_000, Units::Si), "123.5 GB");
        assert_eq!(power_label(0), "1");
        assert_eq!(power_label(4), "10k");
        assert_eq!(power_label(9), "1G");
    }
}
