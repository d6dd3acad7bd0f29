/// Giving up root after the privileged work (sockets, files) is done: what runs after it (decoding,
/// printing) holds no more rights than it needs.
public enum Privileges {
  /// Switches the process to `user`: its groups, then its group id, then its user id.
  ///
  /// - Throws: `SystemError` when the user does not exist or a call is refused.
  ///
  /// The corresponding C calls are `getpwnam`, `initgroups` (which calls `setgroups`),
  /// `setgid` and `setuid`. Needs CAP_SETUID and CAP_SETGID (root).
  public static func drop(toUser user: String) throws(SystemError) {
    try system_dropPrivileges(to: user)
  }
}
