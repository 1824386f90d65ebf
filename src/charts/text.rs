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
    // 64-bit arithmetic only (no 128-bit division in the wasm): charts never see 10**17 bytes.
    let b = b.min(1 << 56);
    let mut i = 0;
    let mut scale = 1u64;
    while i < 4 && b >= scale * base {
        scale *= base;
        i += 1;
    }
    if i == 0 {
        return format!("{b} B");
    }
    // Rounded to two decimals below 100, to one above.
    let hundredths = (b * 100 + scale / 2) / scale;
    if hundredths >= 100 * 100 {
        let tenths = (b * 10 + scale / 2) / scale;
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

/// Axis ticks for a log byte axis spanning 10**lo ..= 10**hi: (bytes, label). SI and exact
/// bytes tick at powers of ten ("1 kB", "10⁶ B"), IEC at powers of two ("32 KiB", "1 MiB"), so
/// every label is a round number in its own system.
pub fn byte_ticks(lo: i32, hi: i32, units: Units) -> Vec<(u64, String)> {
    let (lo, hi) = (lo.clamp(0, 17) as u32, hi.clamp(0, 17) as u32);
    let mut out = Vec::new();
    if units == Units::Iec {
        let range_bits = (hi - lo) * 10 / 3;
        let step = if range_bits > 30 {
            5
        } else if range_bits > 12 {
            2
        } else {
            1
        };
        let names = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        let mut bit = 0;
        while bit <= 56 {
            let v = 1u64 << bit;
            if v >= 10u64.pow(lo) && v <= 10u64.pow(hi) {
                out.push((
                    v,
                    format!("{} {}", 1u64 << (bit % 10), names[(bit / 10) as usize]),
                ));
            }
            bit += step;
        }
        return out;
    }
    let step = if hi - lo > 8 { 2 } else { 1 };
    let mut e = lo;
    while e <= hi {
        let label = match units {
            Units::Bytes if e >= 4 => format!("10{} B", superscript(e)),
            Units::Bytes => format!("{} B", grouped(10u64.pow(e))),
            _ => {
                let names = ["B", "kB", "MB", "GB", "TB", "PB"];
                format!("{} {}", 10u64.pow(e % 3), names[(e / 3) as usize])
            }
        };
        out.push((10u64.pow(e), label));
        e += step;
    }
    out
}

fn superscript(e: u32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    e.to_string()
        .bytes()
        .map(|b| DIGITS[(b - b'0') as usize])
        .collect()
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

    #[test]
    fn axis_ticks_are_round_in_their_own_system() {
        let si: Vec<_> = byte_ticks(1, 11, Units::Si)
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(si, ["10 B", "1 kB", "100 kB", "10 MB", "1 GB", "100 GB"]);
        let b: Vec<_> = byte_ticks(1, 5, Units::Bytes)
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(b, ["10 B", "100 B", "1,000 B", "10⁴ B", "10⁵ B"]);
        let iec = byte_ticks(1, 11, Units::Iec);
        assert_eq!(iec[0], (32, "32 B".to_owned()));
        assert!(iec.contains(&(1 << 20, "1 MiB".to_owned())));
        assert!(iec.iter().all(|t| t.0 >= 10 && t.0 <= 100_000_000_000));
    }
}
