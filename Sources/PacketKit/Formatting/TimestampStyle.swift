/// How the one-line formatter prints each packet's time, after tcpdump's `-t` family.
///
/// Fractions have 6 digits (microseconds, truncated), or 9 with
/// `OneLineFormatter.nanosecondPrecision` (tcpdump `--nano`). As tcpdump 4.99 does, `time`,
/// `epoch` and `dateTime` print `[Error converting time]` for a time whose seconds since the
/// epoch, cut to 32 bits, have the top bit set (2038-01-19 03:14:08 to 2106-02-07 06:28:15 UTC
/// among others), and `epoch` prints the seconds cut to 32 bits.
public enum TimestampStyle: Sendable, Hashable, CaseIterable {
  /// Time of day, `HH:MM:SS.ffffff`, shifted by `utcOffsetSeconds` (tcpdump's default).
  case time
  /// No timestamp (`-t`).
  case none
  /// Seconds since the Unix epoch, `1700000000.000001` (`-tt`).
  case epoch
  /// Time since the previous packet, ` 00:00:00.001000` (`-ttt`); the first packet shows zero.
  case delta
  /// Date and time of day, `2023-11-14 22:13:20.000001` (`-tttt`).
  case dateTime
  /// Time since the first packet, ` 00:00:00.001000` (`-ttttt`).
  case sinceFirst
}
