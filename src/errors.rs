//! Every error reply text, as Redis 7 writes it: constants for the fixed
//! ones (wire bytes, ready to append) and writers for the dynamic ones.

use crate::resp::Reply;

pub const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
pub const WRONGTYPE: &[u8] =
    b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
pub const NOT_INTEGER: &[u8] = b"-ERR value is not an integer or out of range\r\n";
pub const NOT_FLOAT: &[u8] = b"-ERR value is not a valid float\r\n";
pub const OVERFLOW: &[u8] = b"-ERR increment or decrement would overflow\r\n";
pub const INCR_NAN_INF: &[u8] = b"-ERR increment would produce NaN or Infinity\r\n";
pub const NO_SUCH_KEY: &[u8] = b"-ERR no such key\r\n";
pub const DB_OUT_OF_RANGE: &[u8] = b"-ERR DB index is out of range\r\n";
pub const SAME_OBJECT: &[u8] = b"-ERR source and destination objects are the same\r\n";
pub const STRING_TOO_LONG: &[u8] =
    b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
pub const OFFSET_OUT_OF_RANGE: &[u8] = b"-ERR offset is out of range\r\n";
pub const MAX_CLIENTS: &[u8] = b"-ERR max number of clients reached\r\n";
pub const INVALID_CURSOR: &[u8] = b"-ERR invalid cursor\r\n";
pub const TIMEOUT_NEGATIVE: &[u8] = b"-ERR timeout is negative\r\n";
pub const EXPIRE_OPTS_NX: &[u8] =
    b"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
pub const EXPIRE_OPTS_GT_LT: &[u8] =
    b"-ERR GT and LT options at the same time are not compatible\r\n";

pub const DECR_OVERFLOW: &[u8] = b"-ERR decrement would overflow\r\n";
pub const LCS_NOT_STRINGS: &[u8] = b"-ERR The specified keys must contain string values\r\n";
pub const LCS_IDX_AND_LEN: &[u8] =
    b"-ERR If you want both the length and indexes, please just use IDX.\r\n";
pub const LCS_TOO_BIG: &[u8] =
    b"-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n";
pub const INVALID_FIRST_DB: &[u8] = b"-ERR invalid first DB index\r\n";
pub const INVALID_SECOND_DB: &[u8] = b"-ERR invalid second DB index\r\n";
pub const NOT_INT32: &[u8] =
    b"-ERR value is out of range, value must between -2147483648 and 2147483647\r\n";
pub const NOT_POSITIVE: &[u8] = b"-ERR value is out of range, must be positive\r\n";
pub const CLIENT_NAME_CHARS: &[u8] =
    b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n";
pub const NO_SHUTDOWN: &[u8] = b"-ERR No shutdown in progress.\r\n";
pub const SLOWLOG_COUNT: &[u8] = b"-ERR count should be greater than or equal to -1\r\n";
pub const REPLICA_KEYSPACE: &[u8] = b"-ERR Replica can't interact with the keyspace\r\n";
pub const DEBUG_NOT_ALLOWED: &[u8] = b"-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n";

pub const EXEC_WITHOUT_MULTI: &[u8] = b"-ERR EXEC without MULTI\r\n";
pub const DISCARD_WITHOUT_MULTI: &[u8] = b"-ERR DISCARD without MULTI\r\n";
pub const MULTI_NESTED: &[u8] = b"-ERR MULTI calls can not be nested\r\n";
pub const WATCH_IN_MULTI: &[u8] = b"-ERR WATCH inside MULTI is not allowed\r\n";
pub const NOT_IN_MULTI: &[u8] = b"-ERR Command not allowed inside a transaction\r\n";
pub const EXECABORT: &[u8] = b"-EXECABORT Transaction discarded because of previous errors.\r\n";

pub const NOSCRIPT: &[u8] = b"-NOSCRIPT No matching script. Please use EVAL.\r\n";
pub const NUMKEYS_NEGATIVE: &[u8] = b"-ERR Number of keys can't be negative\r\n";
pub const SCRIPT_RO_WRITE_FLAG: &[u8] =
    b"-ERR Can not execute a script with write flag using *_ro command.\r\n";
pub const SCRIPT_FLUSH_MODE: &[u8] = b"-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n";

/// `-ERR Unsupported option <opt>` (EXPIRE family).
pub fn unsupported_option(out: &mut Reply, opt: &[u8]) {
    let mut msg = b"ERR Unsupported option ".to_vec();
    msg.extend_from_slice(opt);
    out.error(&msg);
}

/// `-ERR Unrecognized option '<opt>'` (CLIENT SETINFO).
pub fn unrecognized_option(out: &mut Reply, opt: &[u8]) {
    let mut msg = b"ERR Unrecognized option '".to_vec();
    msg.extend_from_slice(opt);
    msg.push(b'\'');
    out.error(&msg);
}

/// `-ERR <attr> cannot contain spaces, newlines or special characters.`
pub fn bad_client_attr(out: &mut Reply, attr: &str) {
    let mut msg = b"ERR ".to_vec();
    msg.extend_from_slice(attr.as_bytes());
    msg.extend_from_slice(b" cannot contain spaces, newlines or special characters.");
    out.error(&msg);
}

/// `-ERR unknown subcommand or wrong number of arguments for '<sub>'. Try
/// <CMD> HELP.` — for commands whose subcommands are not table rows (DEBUG).
pub fn subcommand_syntax(out: &mut Reply, cmd: &str, sub: &[u8]) {
    let mut msg = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    msg.extend_from_slice(&sub[..sub.len().min(128)]);
    msg.extend_from_slice(b"'. Try ");
    msg.extend_from_slice(cmd.as_bytes());
    msg.extend_from_slice(b" HELP.");
    out.error(&msg);
}

/// `-ERR unknown command '<name>', with args beginning with: '<a1>' ...`:
/// arguments are listed while the list is shorter than 128 bytes, each cut
/// to what still fits, as Redis does.
pub fn unknown_command(out: &mut Reply, name: &[u8], args: impl Iterator<Item = impl AsRef<[u8]>>) {
    let mut msg = Vec::with_capacity(64);
    msg.extend_from_slice(b"ERR unknown command '");
    msg.extend_from_slice(&name[..name.len().min(128)]);
    msg.extend_from_slice(b"', with args beginning with: ");
    let mut listed = 0usize;
    for a in args {
        if listed >= 128 {
            break;
        }
        let a = a.as_ref();
        let take = a.len().min(128 - listed);
        msg.push(b'\'');
        msg.extend_from_slice(&a[..take]);
        msg.extend_from_slice(b"' ");
        listed += take + 3;
    }
    out.error(&msg);
}

/// `-ERR wrong number of arguments for '<name>' command`.
pub fn wrong_arity(out: &mut Reply, name: &str) {
    let mut msg = Vec::with_capacity(64);
    msg.extend_from_slice(b"ERR wrong number of arguments for '");
    msg.extend_from_slice(name.as_bytes());
    msg.extend_from_slice(b"' command");
    out.error(&msg);
}

/// `-ERR invalid expire time in '<name>' command`.
pub fn invalid_expire(out: &mut Reply, name: &str) {
    let mut msg = Vec::with_capacity(64);
    msg.extend_from_slice(b"ERR invalid expire time in '");
    msg.extend_from_slice(name.as_bytes());
    msg.extend_from_slice(b"' command");
    out.error(&msg);
}

/// `-ERR unknown subcommand '<sub>'. Try <CMD> HELP.`
pub fn unknown_subcommand(out: &mut Reply, cmd: &str, sub: &[u8]) {
    let mut msg = Vec::with_capacity(64);
    msg.extend_from_slice(b"ERR unknown subcommand '");
    msg.extend_from_slice(&sub[..sub.len().min(128)]);
    msg.extend_from_slice(b"'. Try ");
    msg.extend_from_slice(cmd.as_bytes());
    msg.extend_from_slice(b" HELP.");
    out.error(&msg);
}

// Lists, hashes and blocking commands.
pub const TIMEOUT_NOT_FLOAT: &[u8] = b"-ERR timeout is not a float or out of range\r\n";
pub const INDEX_OUT_OF_RANGE: &[u8] = b"-ERR index out of range\r\n";
pub const NUMKEYS_NOT_POSITIVE: &[u8] = b"-ERR numkeys should be greater than 0\r\n";
pub const COUNT_NOT_POSITIVE: &[u8] = b"-ERR count should be greater than 0\r\n";
pub const LPOS_RANK_ZERO: &[u8] = b"-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n";
pub const LPOS_RANK_RANGE: &[u8] =
    b"-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n";
pub const LPOS_COUNT_NEGATIVE: &[u8] = b"-ERR COUNT can't be negative\r\n";
pub const LPOS_MAXLEN_NEGATIVE: &[u8] = b"-ERR MAXLEN can't be negative\r\n";
pub const HASH_NOT_INTEGER: &[u8] = b"-ERR hash value is not an integer\r\n";
pub const HASH_NOT_FLOAT: &[u8] = b"-ERR hash value is not a float\r\n";
pub const VALUE_OUT_OF_RANGE: &[u8] = b"-ERR value is out of range\r\n";
pub const LFU_NOT_SELECTED: &[u8] = b"-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n";
pub const NAN_OR_INFINITY: &[u8] = b"-ERR value is NaN or Infinity\r\n";
pub const NOAUTH: &[u8] = b"-NOAUTH Authentication required.\r\n";
pub const WRONGPASS: &[u8] = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n";
pub const AUTH_NO_PASSWORD: &[u8] = b"-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n";
pub const NOPROTO: &[u8] = b"-NOPROTO unsupported protocol version\r\n";
pub const HELLO_PROTO_NOT_INT: &[u8] =
    b"-ERR Protocol version is not an integer or out of range\r\n";
pub const HELLO_NOAUTH: &[u8] = b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n";
pub const DENIED: &[u8] = b"-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";
pub const NO_SUCH_CLIENT: &[u8] = b"-ERR No such client\r\n";
pub const CLIENT_ID_POSITIVE: &[u8] = b"-ERR client-id should be greater than 0\r\n";
pub const INVALID_CLIENT_ID: &[u8] = b"-ERR Invalid client ID\r\n";
pub const PAUSE_TIMEOUT_NOT_INT: &[u8] = b"-ERR timeout is not an integer or out of range\r\n";
pub const PAUSE_MODE: &[u8] = b"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n";
pub const INVALID_COMMAND: &[u8] = b"-ERR Invalid command specified\r\n";
pub const INVALID_ARGUMENTS: &[u8] = b"-ERR Invalid number of arguments specified for command\r\n";
pub const CACHING_WITHOUT_TRACKING: &[u8] = b"-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n";
pub const NO_KEY_ARGS: &[u8] = b"-ERR The command has no key arguments\r\n";

/// `-ERR Syntax error in HELLO option '<opt>'`.
pub fn hello_option(out: &mut Reply, opt: &[u8]) {
    let mut msg = b"ERR Syntax error in HELLO option '".to_vec();
    msg.extend_from_slice(opt);
    msg.push(b'\'');
    out.error(&msg);
}

/// `-ERR Unknown client type '<type>'`.
pub fn unknown_client_type(out: &mut Reply, t: &[u8]) {
    let mut msg = b"ERR Unknown client type '".to_vec();
    msg.extend_from_slice(t);
    msg.push(b'\'');
    out.error(&msg);
}

/// `-ERR No such user '<user>'`.
pub fn no_such_user(out: &mut Reply, u: &[u8]) {
    let mut msg = b"ERR No such user '".to_vec();
    msg.extend_from_slice(u);
    msg.push(b'\'');
    out.error(&msg);
}

// Sets and sorted sets.
pub const NUMKEYS_TOO_MANY: &[u8] = b"-ERR Number of keys can't be greater than number of args\r\n";
pub const LIMIT_NEGATIVE: &[u8] = b"-ERR LIMIT can't be negative\r\n";
pub const ZINTERCARD_NUMKEYS: &[u8] =
    b"-ERR at least 1 input key is needed for 'zintercard' command\r\n";
pub const ZADD_XX_NX: &[u8] = b"-ERR XX and NX options at the same time are not compatible\r\n";
pub const ZADD_GT_LT_NX: &[u8] =
    b"-ERR GT, LT, and/or NX options at the same time are not compatible\r\n";
pub const ZADD_INCR_PAIR: &[u8] = b"-ERR INCR option supports a single increment-element pair\r\n";
pub const SCORE_NAN: &[u8] = b"-ERR resulting score is not a number (NaN)\r\n";
pub const MINMAX_NOT_FLOAT: &[u8] = b"-ERR min or max is not a float\r\n";
pub const MINMAX_NOT_LEX: &[u8] = b"-ERR min or max not valid string range item\r\n";
pub const WEIGHT_NOT_FLOAT: &[u8] = b"-ERR weight value is not a float\r\n";
pub const LIMIT_NEEDS_BY: &[u8] =
    b"-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n";
pub const WITHSCORES_BYLEX: &[u8] =
    b"-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n";

/// `-ERR at least 1 input key is needed for '<name>' command` (ZUNION...).
pub fn zset_numkeys(out: &mut Reply, name: &str) {
    let mut msg = b"ERR at least 1 input key is needed for '".to_vec();
    msg.extend_from_slice(name.as_bytes());
    msg.extend_from_slice(b"' command");
    out.error(&msg);
}
