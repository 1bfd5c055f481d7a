//! What COMMAND reports beyond the command table: each command's group,
//! version, complexity, summary and syntax line, and the subcommands of
//! container commands (CONFIG, CLIENT, COMMAND, OBJECT, SCRIPT).
//!
//! A command needs no row here to be listed: COMMAND works from the
//! command table and fills in defaults. A row adds the documentation, and
//! its syntax line (the handler's doc line without the name) becomes
//! COMMAND DOCS's argument tree, so a new command's row is one line.
//! ACL categories come from the flags and the group, plus `acl` for the
//! exceptions. Key specs come from the table's first/last/step unless
//! [`KEY_SPECS`] gives Redis's exact ones.

use super::flags::*;

pub struct Doc {
    /// Lowercase name; `parent|sub` for a subcommand.
    pub name: &'static str,
    /// Subcommands only (top-level commands take these from the table).
    pub arity: i32,
    pub flags: u32,
    pub group: &'static str,
    pub since: &'static str,
    pub complexity: &'static str,
    /// Extra ACL categories beyond those the flags and group give,
    /// space-separated (`keyspace dangerous`); `-name` removes one.
    pub acl: &'static str,
    /// Command tips, space-separated (`nondeterministic_output`).
    pub tips: &'static str,
    pub summary: &'static str,
    /// Arguments in Redis's syntax notation: `key [NX | XX] [EX seconds]`.
    pub syntax: &'static str,
}

macro_rules! doc {
    ($name:literal, $group:literal, $since:literal, $cx:literal, $acl:literal, $tips:literal, $summary:literal, $syntax:literal) => {
        Doc {
            name: $name,
            arity: 0,
            flags: 0,
            group: $group,
            since: $since,
            complexity: $cx,
            acl: $acl,
            tips: $tips,
            summary: $summary,
            syntax: $syntax,
        }
    };
}

macro_rules! sub {
    ($name:literal, $arity:expr, $flags:expr, $since:literal, $cx:literal, $acl:literal, $tips:literal, $summary:literal, $syntax:literal) => {
        Doc {
            name: $name,
            arity: $arity,
            flags: $flags,
            group: "",
            since: $since,
            complexity: $cx,
            acl: $acl,
            tips: $tips,
            summary: $summary,
            syntax: $syntax,
        }
    };
}

#[rustfmt::skip]
pub static DOCS: &[Doc] = &[
    // strings
    doc!("get", "string", "1.0.0", "O(1)", "", "", "Returns the string value of a key.", "key"),
    doc!("set", "string", "1.0.0", "O(1)", "", "", "Sets the string value of a key, optionally with a condition and an expiry.", "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"),
    doc!("setnx", "string", "1.0.0", "O(1)", "", "", "Sets a key's string value only when the key does not exist.", "key value"),
    doc!("setex", "string", "2.0.0", "O(1)", "", "", "Sets a key's string value and its time to live in seconds.", "key seconds value"),
    doc!("psetex", "string", "2.6.0", "O(1)", "", "", "Sets a key's string value and its time to live in milliseconds.", "key milliseconds value"),
    doc!("getset", "string", "1.0.0", "O(1)", "", "", "Sets a key's string value and returns the previous one.", "key value"),
    doc!("getdel", "string", "6.2.0", "O(1)", "", "", "Returns a key's string value and deletes the key.", "key"),
    doc!("getex", "string", "6.2.0", "O(1)", "", "", "Returns a key's string value and changes or removes its expiry.", "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]"),
    doc!("mget", "string", "1.0.0", "O(N) where N is the number of keys", "", "request_policy:multi_shard", "Returns the string values of several keys.", "key [key ...]"),
    doc!("mset", "string", "1.0.1", "O(N) where N is the number of keys", "", "request_policy:multi_shard response_policy:all_succeeded", "Sets the string values of several keys.", "key value [key value ...]"),
    doc!("msetnx", "string", "1.0.1", "O(N) where N is the number of keys", "", "request_policy:multi_shard response_policy:agg_min", "Sets several keys only when none of them exists.", "key value [key value ...]"),
    doc!("append", "string", "2.0.0", "O(1) amortized", "", "", "Appends a string to a key's value, creating the key if needed.", "key value"),
    doc!("strlen", "string", "2.2.0", "O(1)", "", "", "Returns the length of a key's string value.", "key"),
    doc!("getrange", "string", "2.4.0", "O(N) where N is the length of the returned string", "", "", "Returns a substring of a key's string value.", "key start end"),
    doc!("substr", "string", "1.0.0", "O(N) where N is the length of the returned string", "", "", "Returns a substring of a key's string value (old name of GETRANGE).", "key start end"),
    doc!("setrange", "string", "2.2.0", "O(1) plus the copy of the value", "", "", "Overwrites part of a key's string value from an offset.", "key offset value"),
    doc!("incr", "string", "1.0.0", "O(1)", "", "", "Adds one to a key's integer value.", "key"),
    doc!("decr", "string", "1.0.0", "O(1)", "", "", "Subtracts one from a key's integer value.", "key"),
    doc!("incrby", "string", "1.0.0", "O(1)", "", "", "Adds an integer to a key's integer value.", "key increment"),
    doc!("decrby", "string", "1.0.0", "O(1)", "", "", "Subtracts an integer from a key's integer value.", "key decrement"),
    doc!("incrbyfloat", "string", "2.6.0", "O(1)", "", "", "Adds a floating point number to a key's numeric value.", "key increment"),
    doc!("lcs", "string", "7.0.0", "O(N*M) where N and M are the lengths of the two strings", "", "", "Finds the longest common subsequence of two keys' strings.", "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]"),
    // keys
    doc!("del", "generic", "1.0.0", "O(N) where N is the number of keys", "", "request_policy:multi_shard response_policy:agg_sum", "Deletes keys.", "key [key ...]"),
    doc!("unlink", "generic", "4.0.0", "O(1) per key; big values are freed in the background", "", "request_policy:multi_shard response_policy:agg_sum", "Deletes keys, freeing big values in the background.", "key [key ...]"),
    doc!("exists", "generic", "1.0.0", "O(N) where N is the number of keys", "", "request_policy:multi_shard response_policy:agg_sum", "Counts how many of the given keys exist.", "key [key ...]"),
    doc!("type", "generic", "1.0.0", "O(1)", "", "", "Returns the type of a key's value.", "key"),
    doc!("rename", "generic", "1.0.0", "O(1)", "", "", "Renames a key, replacing the destination.", "key newkey"),
    doc!("renamenx", "generic", "1.0.0", "O(1)", "", "", "Renames a key only when the new name is free.", "key newkey"),
    doc!("copy", "generic", "6.2.0", "O(N) for collections, O(1) for strings", "", "", "Copies a key's value to another key.", "source destination [DB destination-db] [REPLACE]"),
    doc!("move", "generic", "1.0.0", "O(1)", "", "", "Moves a key to another database.", "key db"),
    doc!("touch", "generic", "3.2.1", "O(N) where N is the number of keys", "", "request_policy:multi_shard response_policy:agg_sum", "Updates the last access time of keys and counts those that exist.", "key [key ...]"),
    doc!("randomkey", "generic", "1.0.0", "O(1)", "", "request_policy:all_shards nondeterministic_output", "Returns a random key name from the database.", ""),
    doc!("keys", "generic", "1.0.0", "O(N) where N is the number of keys in the database", "dangerous", "request_policy:all_shards nondeterministic_output_order", "Returns every key name that matches a pattern.", "pattern"),
    doc!("scan", "generic", "2.8.0", "O(1) per call, O(N) for a full iteration", "", "nondeterministic_output request_policy:special", "Iterates over the key names of the database.", "cursor [MATCH pattern] [COUNT count] [TYPE type]"),
    doc!("dbsize", "server", "1.0.0", "O(1)", "keyspace", "request_policy:all_shards response_policy:agg_sum", "Returns the number of keys in the database.", ""),
    doc!("select", "connection", "1.0.0", "O(1)", "", "", "Changes the selected database.", "index"),
    doc!("swapdb", "server", "4.0.0", "O(N) where N is the number of clients watching or blocking on keys of both databases", "keyspace dangerous", "", "Swaps two databases.", "index1 index2"),
    doc!("flushdb", "server", "1.0.0", "O(N) where N is the number of keys in the database", "keyspace dangerous", "request_policy:all_shards response_policy:all_succeeded", "Removes every key from the selected database.", "[ASYNC | SYNC]"),
    doc!("flushall", "server", "1.0.0", "O(N) where N is the number of keys in all databases", "keyspace dangerous", "request_policy:all_shards response_policy:all_succeeded", "Removes every key from every database.", "[ASYNC | SYNC]"),
    // expiry
    doc!("expire", "generic", "1.0.0", "O(1)", "", "", "Sets a key's time to live in seconds.", "key seconds [NX | XX | GT | LT]"),
    doc!("pexpire", "generic", "2.6.0", "O(1)", "", "", "Sets a key's time to live in milliseconds.", "key milliseconds [NX | XX | GT | LT]"),
    doc!("expireat", "generic", "1.2.0", "O(1)", "", "", "Sets a key's expiry as a Unix time in seconds.", "key unix-time-seconds [NX | XX | GT | LT]"),
    doc!("pexpireat", "generic", "2.6.0", "O(1)", "", "", "Sets a key's expiry as a Unix time in milliseconds.", "key unix-time-milliseconds [NX | XX | GT | LT]"),
    doc!("ttl", "generic", "1.0.0", "O(1)", "", "nondeterministic_output", "Returns a key's time to live in seconds.", "key"),
    doc!("pttl", "generic", "2.6.0", "O(1)", "", "nondeterministic_output", "Returns a key's time to live in milliseconds.", "key"),
    doc!("expiretime", "generic", "7.0.0", "O(1)", "", "", "Returns a key's expiry as a Unix time in seconds.", "key"),
    doc!("pexpiretime", "generic", "7.0.0", "O(1)", "", "", "Returns a key's expiry as a Unix time in milliseconds.", "key"),
    doc!("persist", "generic", "2.2.0", "O(1)", "", "", "Removes a key's expiry.", "key"),
    // connection
    doc!("ping", "connection", "1.0.0", "O(1)", "", "request_policy:all_shards response_policy:all_succeeded", "Answers PONG, or the given message.", "[message]"),
    doc!("echo", "connection", "1.0.0", "O(1)", "", "", "Returns the given string.", "message"),
    doc!("quit", "connection", "1.0.0", "O(1)", "", "", "Closes the connection after the reply.", ""),
    doc!("hello", "connection", "6.0.0", "O(1)", "", "", "Handshakes: selects the protocol version, optionally authenticates and names the connection.", "[protover [AUTH username password] [SETNAME clientname]]"),
    doc!("auth", "connection", "1.0.0", "O(N) where N is the number of passwords of the user", "", "", "Authenticates the connection.", "[username] password"),
    doc!("reset", "connection", "6.2.0", "O(1)", "", "", "Returns the connection to its initial state.", ""),
    doc!("client", "connection", "2.4.0", "Depends on subcommand.", "", "", "A container for client connection commands.", ""),
    // server
    doc!("command", "server", "2.8.13", "O(N) where N is the number of commands", "connection", "nondeterministic_output_order", "Returns details about every command.", ""),
    doc!("time", "server", "2.6.0", "O(1)", "", "nondeterministic_output", "Returns the server time.", ""),
    doc!("config", "server", "2.0.0", "Depends on subcommand.", "", "", "A container for server configuration commands.", ""),
    doc!("debug", "server", "1.0.0", "Depends on subcommand.", "", "", "A container for debugging commands.", ""),
    doc!("info", "server", "1.0.0", "O(1)", "dangerous", "nondeterministic_output request_policy:all_shards response_policy:special", "Returns information and statistics about the server.", "[section [section ...]]"),
    doc!("shutdown", "server", "1.0.0", "O(1) without saving", "", "", "Stops the server.", "[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]"),
    // Commands other modules add: their rows apply once the command exists.
    // lists
    doc!("blmove", "list", "6.2.0", "O(1)", "", "", "Moves an element between lists, waiting for one if the source is empty.", "source destination LEFT | RIGHT LEFT | RIGHT timeout"),
    doc!("blmpop", "list", "7.0.0", "O(N+M)", "", "", "Pops elements from the first non-empty list, waiting for one if all are empty.", "timeout numkeys key [key ...] LEFT | RIGHT [COUNT count]"),
    doc!("blpop", "list", "2.0.0", "O(N)", "", "", "Pops the first element of the first non-empty list, waiting if all are empty.", "key [key ...] timeout"),
    doc!("brpop", "list", "2.0.0", "O(N)", "", "", "Pops the last element of the first non-empty list, waiting if all are empty.", "key [key ...] timeout"),
    doc!("brpoplpush", "list", "2.2.0", "O(1)", "", "", "Moves the last element of a list to the head of another, waiting if it is empty.", "source destination timeout"),
    doc!("lindex", "list", "1.0.0", "O(N)", "", "", "Returns the list element at an index.", "key index"),
    doc!("linsert", "list", "2.2.0", "O(N)", "", "", "Inserts an element before or after another in a list.", "key BEFORE | AFTER pivot element"),
    doc!("llen", "list", "1.0.0", "O(1)", "", "", "Returns the length of a list.", "key"),
    doc!("lmove", "list", "6.2.0", "O(1)", "", "", "Pops an element from one end of a list and pushes it onto another list.", "source destination LEFT | RIGHT LEFT | RIGHT"),
    doc!("lmpop", "list", "7.0.0", "O(N+M)", "", "", "Pops elements from the first non-empty list among several.", "numkeys key [key ...] LEFT | RIGHT [COUNT count]"),
    doc!("lpop", "list", "1.0.0", "O(N)", "", "", "Removes and returns elements from the head of a list.", "key [count]"),
    doc!("lpos", "list", "6.0.6", "O(N)", "", "", "Returns the positions of elements equal to a value in a list.", "key element [RANK rank] [COUNT num-matches] [MAXLEN len]"),
    doc!("lpush", "list", "1.0.0", "O(1)", "", "", "Prepends elements to a list, creating it if needed.", "key element [element ...]"),
    doc!("lpushx", "list", "2.2.0", "O(1)", "", "", "Prepends elements to a list only when it exists.", "key element [element ...]"),
    doc!("lrange", "list", "1.0.0", "O(S+N)", "", "", "Returns a range of list elements.", "key start stop"),
    doc!("lrem", "list", "1.0.0", "O(N+M)", "", "", "Removes elements equal to a value from a list.", "key count element"),
    doc!("lset", "list", "1.0.0", "O(N)", "", "", "Replaces the list element at an index.", "key index element"),
    doc!("ltrim", "list", "1.0.0", "O(N)", "", "", "Keeps only a range of a list's elements.", "key start stop"),
    doc!("rpop", "list", "1.0.0", "O(N)", "", "", "Removes and returns elements from the tail of a list.", "key [count]"),
    doc!("rpoplpush", "list", "1.2.0", "O(1)", "", "", "Moves the last element of a list to the head of another.", "source destination"),
    doc!("rpush", "list", "1.0.0", "O(1)", "", "", "Appends elements to a list, creating it if needed.", "key element [element ...]"),
    doc!("rpushx", "list", "2.2.0", "O(1)", "", "", "Appends elements to a list only when it exists.", "key element [element ...]"),
    // hash
    doc!("hdel", "hash", "2.0.0", "O(N)", "", "", "Deletes fields from a hash.", "key field [field ...]"),
    doc!("hexists", "hash", "2.0.0", "O(1)", "", "", "Tells whether a hash field exists.", "key field"),
    doc!("hget", "hash", "2.0.0", "O(1)", "", "", "Returns the value of a hash field.", "key field"),
    doc!("hgetall", "hash", "2.0.0", "O(N)", "", "nondeterministic_output_order", "Returns every field and value of a hash.", "key"),
    doc!("hincrby", "hash", "2.0.0", "O(1)", "", "", "Adds an integer to the integer value of a hash field.", "key field increment"),
    doc!("hincrbyfloat", "hash", "2.6.0", "O(1)", "", "", "Adds a floating point number to the value of a hash field.", "key field increment"),
    doc!("hkeys", "hash", "2.0.0", "O(N)", "", "nondeterministic_output_order", "Returns the field names of a hash.", "key"),
    doc!("hlen", "hash", "2.0.0", "O(1)", "", "", "Returns the number of fields in a hash.", "key"),
    doc!("hmget", "hash", "2.0.0", "O(N)", "", "", "Returns the values of several hash fields.", "key field [field ...]"),
    doc!("hmset", "hash", "2.0.0", "O(N)", "", "", "Sets several hash fields (older form of HSET).", "key field value [field value ...]"),
    doc!("hrandfield", "hash", "6.2.0", "O(N)", "", "nondeterministic_output", "Returns random fields of a hash, optionally with their values.", "key [count [WITHVALUES]]"),
    doc!("hscan", "hash", "2.8.0", "O(1)", "", "nondeterministic_output", "Iterates over the fields and values of a hash.", "key cursor [MATCH pattern] [COUNT count]"),
    doc!("hset", "hash", "2.0.0", "O(1)", "", "", "Sets hash fields, creating the hash if needed.", "key field value [field value ...]"),
    doc!("hsetnx", "hash", "2.0.0", "O(1)", "", "", "Sets a hash field only when it does not exist.", "key field value"),
    doc!("hstrlen", "hash", "3.2.0", "O(1)", "", "", "Returns the length of a hash field's value.", "key field"),
    doc!("hvals", "hash", "2.0.0", "O(N)", "", "nondeterministic_output_order", "Returns the values of a hash.", "key"),
    // set
    doc!("sadd", "set", "1.0.0", "O(1)", "", "", "Adds members to a set, creating it if needed.", "key member [member ...]"),
    doc!("scard", "set", "1.0.0", "O(1)", "", "", "Returns the number of members of a set.", "key"),
    doc!("sdiff", "set", "1.0.0", "O(N)", "", "nondeterministic_output_order", "Returns the members of a set missing from the other sets.", "key [key ...]"),
    doc!("sdiffstore", "set", "1.0.0", "O(N)", "", "", "Stores the difference of sets in a key.", "destination key [key ...]"),
    doc!("sinter", "set", "1.0.0", "O(N*M)", "", "nondeterministic_output_order", "Returns the members common to every set.", "key [key ...]"),
    doc!("sintercard", "set", "7.0.0", "O(N*M)", "", "", "Counts the members common to every set, up to an optional limit.", "numkeys key [key ...] [LIMIT limit]"),
    doc!("sinterstore", "set", "1.0.0", "O(N*M)", "", "", "Stores the intersection of sets in a key.", "destination key [key ...]"),
    doc!("sismember", "set", "1.0.0", "O(1)", "", "", "Tells whether a value is a member of a set.", "key member"),
    doc!("smembers", "set", "1.0.0", "O(N)", "", "nondeterministic_output_order", "Returns every member of a set.", "key"),
    doc!("smismember", "set", "6.2.0", "O(N)", "", "", "Tells, for each value, whether it is a member of a set.", "key member [member ...]"),
    doc!("smove", "set", "1.0.0", "O(1)", "", "", "Moves a member from one set to another.", "source destination member"),
    doc!("spop", "set", "1.0.0", "", "", "nondeterministic_output", "Removes and returns random members of a set.", "key [count]"),
    doc!("srandmember", "set", "1.0.0", "", "", "nondeterministic_output", "Returns random members of a set without removing them.", "key [count]"),
    doc!("srem", "set", "1.0.0", "O(N)", "", "", "Removes members from a set.", "key member [member ...]"),
    doc!("sscan", "set", "2.8.0", "O(1)", "", "nondeterministic_output", "Iterates over the members of a set.", "key cursor [MATCH pattern] [COUNT count]"),
    doc!("sunion", "set", "1.0.0", "O(N)", "", "nondeterministic_output_order", "Returns the members of any of the sets.", "key [key ...]"),
    doc!("sunionstore", "set", "1.0.0", "O(N)", "", "", "Stores the union of sets in a key.", "destination key [key ...]"),
    // sorted-set
    doc!("bzmpop", "sorted-set", "7.0.0", "O(K)", "", "", "Pops members by score from the first non-empty sorted set, waiting if all are empty.", "timeout numkeys key [key ...] MIN | MAX [COUNT count]"),
    doc!("bzpopmax", "sorted-set", "5.0.0", "O(log(N))", "", "", "Pops the highest-scored member of the first non-empty sorted set, waiting if all are empty.", "key [key ...] timeout"),
    doc!("bzpopmin", "sorted-set", "5.0.0", "O(log(N))", "", "", "Pops the lowest-scored member of the first non-empty sorted set, waiting if all are empty.", "key [key ...] timeout"),
    doc!("zadd", "sorted-set", "1.2.0", "O(log(N))", "", "", "Adds members with scores to a sorted set, or updates their scores.", "key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]"),
    doc!("zcard", "sorted-set", "1.2.0", "O(1)", "", "", "Returns the number of members of a sorted set.", "key"),
    doc!("zcount", "sorted-set", "2.0.0", "O(log(N))", "", "", "Counts the members of a sorted set within a score range.", "key min max"),
    doc!("zdiff", "sorted-set", "6.2.0", "O(L + (N-K)log(N))", "", "", "Returns the members of a sorted set missing from the others.", "numkeys key [key ...] [WITHSCORES]"),
    doc!("zdiffstore", "sorted-set", "6.2.0", "O(L + (N-K)log(N))", "", "", "Stores the difference of sorted sets in a key.", "destination numkeys key [key ...]"),
    doc!("zincrby", "sorted-set", "1.2.0", "O(log(N))", "", "", "Adds to the score of a sorted set member.", "key increment member"),
    doc!("zinter", "sorted-set", "6.2.0", "O(N*K)", "", "", "Returns the intersection of sorted sets.", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]"),
    doc!("zintercard", "sorted-set", "7.0.0", "O(N*K)", "", "", "Counts the members common to every sorted set, up to an optional limit.", "numkeys key [key ...] [LIMIT limit]"),
    doc!("zinterstore", "sorted-set", "2.0.0", "O(N*K)", "", "", "Stores the intersection of sorted sets in a key.", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]"),
    doc!("zlexcount", "sorted-set", "2.8.9", "O(log(N))", "", "", "Counts the members of a sorted set within a lexicographical range.", "key min max"),
    doc!("zmpop", "sorted-set", "7.0.0", "O(K)", "", "", "Pops members by score from the first non-empty sorted set.", "numkeys key [key ...] MIN | MAX [COUNT count]"),
    doc!("zmscore", "sorted-set", "6.2.0", "O(N)", "", "", "Returns the scores of several sorted set members.", "key member [member ...]"),
    doc!("zpopmax", "sorted-set", "5.0.0", "O(log(N)*M)", "", "", "Removes and returns the highest-scored members of a sorted set.", "key [count]"),
    doc!("zpopmin", "sorted-set", "5.0.0", "O(log(N)*M)", "", "", "Removes and returns the lowest-scored members of a sorted set.", "key [count]"),
    doc!("zrandmember", "sorted-set", "6.2.0", "O(N)", "", "nondeterministic_output", "Returns random members of a sorted set, optionally with scores.", "key [count [WITHSCORES]]"),
    doc!("zrange", "sorted-set", "1.2.0", "O(log(N)+M)", "", "", "Returns a range of sorted set members by rank, score or lexicographical order.", "key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]"),
    doc!("zrangebylex", "sorted-set", "2.8.9", "O(log(N)+M)", "", "", "Returns sorted set members within a lexicographical range.", "key min max [LIMIT offset count]"),
    doc!("zrangebyscore", "sorted-set", "1.0.5", "O(log(N)+M)", "", "", "Returns sorted set members within a score range.", "key min max [WITHSCORES] [LIMIT offset count]"),
    doc!("zrangestore", "sorted-set", "6.2.0", "O(log(N)+M)", "", "", "Stores a range of a sorted set's members in a key.", "dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]"),
    doc!("zrank", "sorted-set", "2.0.0", "O(log(N))", "", "", "Returns the rank of a sorted set member, lowest score first.", "key member"),
    doc!("zrem", "sorted-set", "1.2.0", "O(M*log(N))", "", "", "Removes members from a sorted set.", "key member [member ...]"),
    doc!("zremrangebylex", "sorted-set", "2.8.9", "O(log(N)+M)", "", "", "Removes the sorted set members within a lexicographical range.", "key min max"),
    doc!("zremrangebyrank", "sorted-set", "2.0.0", "O(log(N)+M)", "", "", "Removes the sorted set members within a range of ranks.", "key start stop"),
    doc!("zremrangebyscore", "sorted-set", "1.2.0", "O(log(N)+M)", "", "", "Removes the sorted set members within a score range.", "key min max"),
    doc!("zrevrange", "sorted-set", "1.2.0", "O(log(N)+M)", "", "", "Returns a range of sorted set members by rank, highest score first.", "key start stop [WITHSCORES]"),
    doc!("zrevrangebylex", "sorted-set", "2.8.9", "O(log(N)+M)", "", "", "Returns sorted set members within a lexicographical range, in reverse order.", "key max min [LIMIT offset count]"),
    doc!("zrevrangebyscore", "sorted-set", "2.2.0", "O(log(N)+M)", "", "", "Returns sorted set members within a score range, highest first.", "key max min [WITHSCORES] [LIMIT offset count]"),
    doc!("zrevrank", "sorted-set", "2.0.0", "O(log(N))", "", "", "Returns the rank of a sorted set member, highest score first.", "key member"),
    doc!("zscan", "sorted-set", "2.8.0", "O(1)", "", "nondeterministic_output", "Iterates over the members and scores of a sorted set.", "key cursor [MATCH pattern] [COUNT count]"),
    doc!("zscore", "sorted-set", "1.2.0", "O(1)", "", "", "Returns the score of a sorted set member.", "key member"),
    doc!("zunion", "sorted-set", "6.2.0", "O(N)", "", "", "Returns the union of sorted sets.", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]"),
    doc!("zunionstore", "sorted-set", "2.0.0", "O(N)", "", "", "Stores the union of sorted sets in a key.", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]"),
    // transactions
    doc!("discard", "transactions", "2.0.0", "O(N)", "", "", "Drops the commands queued since MULTI.", ""),
    doc!("exec", "transactions", "1.2.0", "", "", "", "Runs the commands queued since MULTI.", ""),
    doc!("multi", "transactions", "1.2.0", "O(1)", "", "", "Starts a transaction.", ""),
    doc!("unwatch", "transactions", "2.2.0", "O(1)", "", "", "Forgets the keys WATCH registered.", ""),
    doc!("watch", "transactions", "2.2.0", "O(1)", "", "", "Makes the next EXEC fail if any of the keys changes.", "key [key ...]"),
    // scripting
    doc!("eval", "scripting", "2.6.0", "", "", "", "Runs a Lua script.", "script numkeys [key [key ...]] [arg [arg ...]]"),
    doc!("eval_ro", "scripting", "7.0.0", "", "", "", "Runs a read-only Lua script.", "script numkeys [key [key ...]] [arg [arg ...]]"),
    doc!("evalsha", "scripting", "2.6.0", "", "", "", "Runs a cached Lua script by its SHA1 digest.", "sha1 numkeys [key [key ...]] [arg [arg ...]]"),
    doc!("evalsha_ro", "scripting", "7.0.0", "", "", "", "Runs a cached read-only Lua script by its SHA1 digest.", "sha1 numkeys [key [key ...]] [arg [arg ...]]"),
    doc!("script", "scripting", "2.6.0", "Depends on subcommand.", "", "", "A container for Lua script cache commands.", ""),
    // server
    doc!("bgrewriteaof", "server", "1.0.0", "O(1)", "", "", "Rewrites the append-only file in the background.", ""),
    doc!("bgsave", "server", "1.0.0", "O(1)", "", "", "Saves the dataset to disk in the background.", "[SCHEDULE]"),
    doc!("lastsave", "server", "1.0.0", "O(1)", "admin dangerous", "nondeterministic_output", "Returns the Unix time of the last successful save.", ""),
    doc!("latency", "server", "2.8.13", "Depends on subcommand.", "", "", "A container for latency monitoring commands.", ""),
    doc!("memory", "server", "4.0.0", "Depends on subcommand.", "", "", "A container for memory introspection commands.", ""),
    doc!("monitor", "server", "1.0.0", "", "", "", "Streams every command the server receives.", ""),
    doc!("role", "server", "2.8.12", "O(1)", "admin dangerous", "", "Returns the replication role of the server.", ""),
    doc!("save", "server", "1.0.0", "O(N)", "", "", "Saves the dataset to disk, blocking.", ""),
    doc!("slowlog", "server", "2.2.12", "Depends on subcommand.", "", "", "A container for slow log commands.", ""),
    // generic
    doc!("dump", "generic", "2.6.0", "O(1)", "", "nondeterministic_output", "Returns a key's value in a serialized form.", "key"),
    doc!("object", "generic", "2.2.3", "Depends on subcommand.", "", "", "A container for value introspection commands.", ""),
    doc!("restore", "generic", "2.6.0", "O(1)", "dangerous", "", "Creates a key from a value DUMP serialized.", "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]"),
    doc!("sort", "generic", "1.0.0", "O(N+M*log(M))", "-keyspace set sortedset list dangerous", "", "Sorts the elements of a list, set or sorted set, optionally storing the result.", "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]"),
    doc!("sort_ro", "generic", "7.0.0", "O(N+M*log(M))", "-keyspace set sortedset list dangerous", "", "Sorts the elements of a list, set or sorted set.", "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]"),
    doc!("wait", "generic", "3.0.0", "O(1)", "-keyspace connection", "request_policy:all_shards response_policy:agg_min", "Waits until the writes of this connection reached some replicas.", "numreplicas timeout"),
    // bitmap
    doc!("bitcount", "bitmap", "2.6.0", "O(N)", "", "", "Counts the set bits of a string.", "key [start end [BYTE | BIT]]"),
    doc!("bitfield", "bitmap", "3.2.0", "Depends on subcommand.", "", "", "Reads and writes integer fields of arbitrary width in a string.", "key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL] SET encoding offset value | INCRBY encoding offset increment [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL] SET encoding offset value | INCRBY encoding offset increment ...]]"),
    doc!("bitfield_ro", "bitmap", "6.0.0", "Depends on subcommand.", "", "", "Reads integer fields of arbitrary width in a string.", "key [GET encoding offset [GET encoding offset ...]]"),
    doc!("bitop", "bitmap", "2.6.0", "O(N)", "", "", "Combines strings bit by bit into a key.", "operation destkey key [key ...]"),
    doc!("bitpos", "bitmap", "2.8.7", "O(N)", "", "", "Finds the first set or clear bit of a string.", "key bit [start [end [BYTE | BIT]]]"),
    doc!("getbit", "bitmap", "2.2.0", "O(1)", "", "", "Returns a bit of a string.", "key offset"),
    doc!("setbit", "bitmap", "2.2.0", "O(1)", "", "", "Sets or clears a bit of a string.", "key offset value"),
    // hyperloglog
    doc!("pfadd", "hyperloglog", "2.8.9", "O(1)", "", "", "Adds elements to a HyperLogLog.", "key [element [element ...]]"),
    doc!("pfcount", "hyperloglog", "2.8.9", "O(1)", "", "", "Returns the estimated number of distinct elements seen by HyperLogLogs.", "key [key ...]"),
    doc!("pfmerge", "hyperloglog", "2.8.9", "O(N)", "", "", "Merges HyperLogLogs into a key.", "destkey sourcekey [sourcekey ...]"),
    // pubsub
    doc!("psubscribe", "pubsub", "2.0.0", "O(N)", "", "", "Listens to channels matching patterns.", "pattern [pattern ...]"),
    doc!("publish", "pubsub", "2.0.0", "O(N+M)", "", "", "Posts a message to a channel.", "channel message"),
    doc!("pubsub", "pubsub", "2.8.0", "Depends on subcommand.", "", "", "A container for Pub/Sub introspection commands.", ""),
    doc!("punsubscribe", "pubsub", "2.0.0", "O(N+M)", "", "", "Stops listening to channel patterns.", "[pattern [pattern ...]]"),
    doc!("spublish", "pubsub", "7.0.0", "O(N)", "", "", "Posts a message to a shard channel.", "shardchannel message"),
    doc!("ssubscribe", "pubsub", "7.0.0", "O(N)", "", "", "Listens to shard channels.", "shardchannel [shardchannel ...]"),
    doc!("subscribe", "pubsub", "2.0.0", "O(N)", "", "", "Listens to channels.", "channel [channel ...]"),
    doc!("sunsubscribe", "pubsub", "7.0.0", "O(N)", "", "", "Stops listening to shard channels.", "[shardchannel [shardchannel ...]]"),
    doc!("unsubscribe", "pubsub", "2.0.0", "O(N)", "", "", "Stops listening to channels.", "[channel [channel ...]]"),
];

const ADMIN_SUB: u32 = ADMIN | NOSCRIPT | LOADING | STALE;

#[rustfmt::skip]
pub static SUBCOMMANDS: &[Doc] = &[
    sub!("client|id", 2, NOSCRIPT | LOADING | STALE, "5.0.0", "O(1)", "", "", "Returns the connection's unique id.", ""),
    sub!("client|info", 2, NOSCRIPT | LOADING | STALE, "6.2.0", "O(1)", "", "nondeterministic_output", "Returns information about the connection.", ""),
    sub!("client|list", -2, ADMIN_SUB, "2.4.0", "O(N) where N is the number of connections", "", "nondeterministic_output", "Lists the open connections.", "[TYPE NORMAL | MASTER | REPLICA | PUBSUB] [ID client-id [client-id ...]]"),
    sub!("client|kill", -3, ADMIN_SUB, "2.4.0", "O(N) where N is the number of connections", "", "", "Closes connections chosen by address, id, type or user.", "ip:port | [ID client-id] [TYPE NORMAL | MASTER | SLAVE | REPLICA | PUBSUB] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME yes/no]"),
    sub!("client|setname", 3, NOSCRIPT | LOADING | STALE, "2.6.9", "O(1)", "", "", "Names the connection.", "connection-name"),
    sub!("client|getname", 2, NOSCRIPT | LOADING | STALE, "2.6.9", "O(1)", "", "", "Returns the connection's name.", ""),
    sub!("client|setinfo", 4, NOSCRIPT | LOADING | STALE, "7.2.0", "O(1)", "", "request_policy:all_nodes response_policy:all_succeeded", "Sets information specific to the client or connection.", "LIB-NAME libname | LIB-VER libver"),
    sub!("client|no-touch", 3, NOSCRIPT | LOADING | STALE, "7.2.0", "O(1)", "", "", "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "ON | OFF"),
    sub!("client|no-evict", 3, ADMIN_SUB, "7.0.0", "O(1)", "", "", "Exempts the connection from client eviction.", "ON | OFF"),
    sub!("client|reply", 3, NOSCRIPT | LOADING | STALE, "3.2.0", "O(1)", "", "", "Turns the server's replies to this connection on, off, or off for one command.", "ON | OFF | SKIP"),
    sub!("client|pause", -3, ADMIN_SUB, "2.9.50", "O(1)", "", "", "Holds back the commands of clients for a while.", "timeout [WRITE | ALL]"),
    sub!("client|unpause", 2, ADMIN_SUB, "6.2.0", "O(N) where N is the number of paused clients", "", "", "Ends a client pause.", ""),
    sub!("client|getredir", 2, NOSCRIPT | LOADING | STALE, "6.0.0", "O(1)", "", "", "Returns the id of the client tracking notifications are redirected to.", ""),
    sub!("client|trackinginfo", 2, NOSCRIPT | LOADING | STALE, "6.2.0", "O(1)", "", "", "Returns the connection's client-side caching state.", ""),
    sub!("client|caching", 3, NOSCRIPT | LOADING | STALE, "6.0.0", "O(1)", "", "", "Tells tracking whether to track the keys of the next command.", "YES | NO"),
    sub!("client|help", 2, LOADING | STALE, "5.0.0", "O(1)", "", "", "Lists the CLIENT subcommands.", ""),
    sub!("command|count", 2, LOADING | STALE, "2.8.13", "O(1)", "connection", "", "Returns the number of commands.", ""),
    sub!("command|list", -2, LOADING | STALE, "7.0.0", "O(N) where N is the number of commands", "connection", "nondeterministic_output_order", "Lists command names, optionally filtered.", "[FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]"),
    sub!("command|info", -2, LOADING | STALE, "2.8.13", "O(N) where N is the number of commands asked about", "connection", "nondeterministic_output_order", "Returns details about commands.", "[command-name [command-name ...]]"),
    sub!("command|docs", -2, LOADING | STALE, "7.0.0", "O(N) where N is the number of commands asked about", "connection", "nondeterministic_output_order", "Returns documentation about commands.", "[command-name [command-name ...]]"),
    sub!("command|getkeys", -4, LOADING | STALE, "2.8.13", "O(N) where N is the number of arguments", "connection", "", "Extracts the key names from a full command.", "command [arg [arg ...]]"),
    sub!("command|getkeysandflags", -4, LOADING | STALE, "7.0.0", "O(N) where N is the number of arguments", "connection", "", "Extracts the key names and their access flags from a full command.", "command [arg [arg ...]]"),
    sub!("command|help", 2, LOADING | STALE, "5.0.0", "O(1)", "connection", "", "Lists the COMMAND subcommands.", ""),
    sub!("config|get", -3, ADMIN_SUB, "2.0.0", "O(N) where N is the number of parameters asked for", "", "", "Returns configuration parameters matching patterns.", "parameter [parameter ...]"),
    sub!("config|set", -4, ADMIN_SUB, "2.0.0", "O(N) where N is the number of parameters set", "", "request_policy:all_nodes response_policy:all_succeeded", "Changes configuration parameters.", "parameter value [parameter value ...]"),
    sub!("config|resetstat", 2, ADMIN_SUB, "2.0.0", "O(1)", "", "", "Resets the statistics INFO reports.", ""),
    sub!("config|rewrite", 2, ADMIN_SUB, "2.8.0", "O(1)", "", "", "Writes the running configuration back to the config file.", ""),
    sub!("config|help", 2, LOADING | STALE, "5.0.0", "O(1)", "", "", "Lists the CONFIG subcommands.", ""),
    sub!("object|encoding", 3, READONLY, "2.2.3", "O(1)", "keyspace", "nondeterministic_output", "Returns the internal encoding of a key's value.", "key"),
    sub!("object|freq", 3, READONLY, "4.0.0", "O(1)", "keyspace", "nondeterministic_output", "Returns the access frequency counter of a key.", "key"),
    sub!("object|idletime", 3, READONLY, "2.2.3", "O(1)", "keyspace", "nondeterministic_output", "Returns the seconds since a key was last accessed.", "key"),
    sub!("object|refcount", 3, READONLY, "2.2.3", "O(1)", "keyspace", "nondeterministic_output", "Returns the reference count of a key's value.", "key"),
    sub!("object|help", 2, LOADING | STALE, "6.2.0", "O(1)", "keyspace", "", "Lists the OBJECT subcommands.", ""),
    sub!("script|exists", -3, NOSCRIPT, "2.6.0", "O(N) where N is the number of scripts asked about", "scripting", "request_policy:all_shards response_policy:agg_logical_and", "Tells which scripts are in the script cache.", "sha1 [sha1 ...]"),
    sub!("script|flush", -2, NOSCRIPT, "2.6.0", "O(N) where N is the number of cached scripts", "scripting", "request_policy:all_nodes response_policy:all_succeeded", "Empties the script cache.", "[ASYNC | SYNC]"),
    sub!("script|kill", 2, NOSCRIPT | ALLOW_BUSY, "2.6.0", "O(1)", "scripting", "request_policy:all_shards response_policy:one_succeeded", "Stops the running script.", ""),
    sub!("script|load", 3, NOSCRIPT | STALE, "2.6.0", "O(N) where N is the length of the script", "scripting", "request_policy:all_nodes response_policy:all_succeeded", "Loads a script into the script cache.", "script"),
    sub!("script|help", 2, LOADING | STALE, "5.0.0", "O(1)", "scripting", "", "Lists the SCRIPT subcommands.", ""),
    sub!("script|debug", 3, NOSCRIPT, "3.2.0", "O(1)", "", "", "Sets the debug mode of scripts.", "YES | SYNC | NO"),
    sub!("latency|help", 2, LOADING | STALE, "2.8.13", "O(1)", "", "", "Lists the LATENCY subcommands.", ""),
    sub!("latency|graph", 3, ADMIN | NOSCRIPT | LOADING | STALE, "2.8.13", "O(1)", "", "nondeterministic_output request_policy:all_nodes response_policy:special", "Returns an ASCII graph of an event's latency.", "event"),
    sub!("latency|latest", 2, ADMIN | NOSCRIPT | LOADING | STALE, "2.8.13", "O(1)", "", "nondeterministic_output request_policy:all_nodes response_policy:special", "Returns the latest latency spike of every event.", ""),
    sub!("latency|doctor", 2, ADMIN | NOSCRIPT | LOADING | STALE, "2.8.13", "O(1)", "", "nondeterministic_output request_policy:all_nodes response_policy:special", "Returns a report on the latency seen.", ""),
    sub!("latency|history", 3, ADMIN | NOSCRIPT | LOADING | STALE, "2.8.13", "O(1)", "", "nondeterministic_output request_policy:all_nodes response_policy:special", "Returns the latency spikes of an event over time.", "event"),
    sub!("latency|histogram", -2, ADMIN | NOSCRIPT | LOADING | STALE, "7.0.0", "O(N)", "", "nondeterministic_output request_policy:all_nodes response_policy:special", "Returns the latency distribution of commands.", "[command [command ...]]"),
    sub!("latency|reset", -2, ADMIN | NOSCRIPT | LOADING | STALE, "2.8.13", "O(1)", "", "request_policy:all_nodes response_policy:all_succeeded", "Clears the latency data of events.", "[event [event ...]]"),
    sub!("memory|help", 2, LOADING | STALE, "4.0.0", "O(1)", "", "", "Lists the MEMORY subcommands.", ""),
    sub!("memory|purge", 2, 0, "4.0.0", "", "", "request_policy:all_shards response_policy:all_succeeded", "Asks the allocator to give memory back.", ""),
    sub!("memory|stats", 2, 0, "4.0.0", "O(1)", "", "nondeterministic_output request_policy:all_shards response_policy:special", "Returns details of the server's memory use.", ""),
    sub!("memory|usage", -3, READONLY, "4.0.0", "O(N)", "", "", "Estimates the bytes a key and its value take.", "key [SAMPLES count]"),
    sub!("memory|doctor", 2, 0, "4.0.0", "O(1)", "", "nondeterministic_output request_policy:all_shards response_policy:special", "Returns a report on memory problems.", ""),
    sub!("memory|malloc-stats", 2, 0, "4.0.0", "", "", "nondeterministic_output request_policy:all_shards response_policy:special", "Returns the allocator's statistics.", ""),
    sub!("pubsub|help", 2, LOADING | STALE, "6.2.0", "O(1)", "-pubsub", "", "Lists the PUBSUB subcommands.", ""),
    sub!("pubsub|shardchannels", -2, PUBSUB | LOADING | STALE, "7.0.0", "O(N)", "", "", "Lists the shard channels with subscribers.", "[pattern]"),
    sub!("pubsub|channels", -2, PUBSUB | LOADING | STALE, "2.8.0", "O(N)", "", "", "Lists the channels with subscribers.", "[pattern]"),
    sub!("pubsub|numsub", -2, PUBSUB | LOADING | STALE, "2.8.0", "Depends on subcommand.", "", "", "Returns the number of subscribers of channels.", "[channel [channel ...]]"),
    sub!("pubsub|shardnumsub", -2, PUBSUB | LOADING | STALE, "7.0.0", "Depends on subcommand.", "", "", "Returns the number of subscribers of shard channels.", "[shardchannel [shardchannel ...]]"),
    sub!("pubsub|numpat", 2, PUBSUB | LOADING | STALE, "2.8.0", "O(1)", "", "", "Returns the number of pattern subscriptions.", ""),
    sub!("slowlog|help", 2, LOADING | STALE, "6.2.0", "O(1)", "", "", "Lists the SLOWLOG subcommands.", ""),
    sub!("slowlog|get", -2, ADMIN | LOADING | STALE, "2.2.12", "O(N)", "", "request_policy:all_nodes nondeterministic_output", "Returns entries of the slow log.", "[count]"),
    sub!("slowlog|reset", 2, ADMIN | LOADING | STALE, "2.2.12", "O(N)", "", "request_policy:all_nodes response_policy:all_succeeded", "Empties the slow log.", ""),
    sub!("slowlog|len", 2, ADMIN | LOADING | STALE, "2.2.12", "O(1)", "", "request_policy:all_nodes response_policy:agg_sum nondeterministic_output", "Returns the number of entries in the slow log.", ""),
];

/// The group of a command without a documentation row, from the module
/// its handler lives in (`list::lpush` is in `list`).
pub fn group_of_path(path: &str) -> &'static str {
    let module = path.split("::").next().unwrap_or("");
    match module {
        "string" => "string",
        "list" | "lists" => "list",
        "hash" | "hashes" => "hash",
        "set" | "sets" => "set",
        "zset" | "zsets" | "sorted_set" => "sorted-set",
        "bitmap" | "bitops" | "bits" => "bitmap",
        "hyperloglog" | "hll" => "hyperloglog",
        "geo" => "geo",
        "stream" | "streams" => "stream",
        "pubsub" => "pubsub",
        "multi" | "transaction" | "transactions" | "tx" => "transactions",
        "script" | "scripting" | "lua" | "eval" | "function" | "functions" => "scripting",
        "connection" | "client" => "connection",
        "server" | "command" | "config" | "info" | "debug" | "observ" | "slowlog" | "latency"
        | "monitor" => "server",
        _ => "generic",
    }
}

/// One key spec of COMMAND INFO: keys start at argument `index` and run
/// to `lastkey` (relative to `index`, or from the end when negative) every
/// `keystep` arguments; `flags` are Redis's access flags.
pub struct KeySpec {
    pub flags: &'static str,
    pub index: i32,
    pub lastkey: i32,
    pub keystep: i32,
    pub limit: i32,
}

const fn spec(flags: &'static str, index: i32, lastkey: i32, keystep: i32, limit: i32) -> KeySpec {
    KeySpec {
        flags,
        index,
        lastkey,
        keystep,
        limit,
    }
}

/// Key specs where the table's first/last/step range and the default
/// flags (`RW update` for writes, `RO access` otherwise) are not what
/// Redis reports: the exact access flags, and commands whose keys play
/// different parts (RENAME's source and destination).
#[rustfmt::skip]
pub static KEY_SPECS: &[(&str, &[KeySpec])] = &[
    ("set", &[spec("RW access update variable_flags", 1, 0, 1, 0)]),
    ("setnx", &[spec("OW insert", 1, 0, 1, 0)]),
    ("setex", &[spec("OW update", 1, 0, 1, 0)]),
    ("psetex", &[spec("OW update", 1, 0, 1, 0)]),
    ("getset", &[spec("RW access update", 1, 0, 1, 0)]),
    ("getdel", &[spec("RW access delete", 1, 0, 1, 0)]),
    ("getex", &[spec("RW access update", 1, 0, 1, 0)]),
    ("mset", &[spec("OW update", 1, -1, 2, 0)]),
    ("msetnx", &[spec("OW insert", 1, -1, 2, 0)]),
    ("append", &[spec("RW insert", 1, 0, 1, 0)]),
    ("strlen", &[spec("RO", 1, 0, 1, 0)]),
    ("incr", &[spec("RW access update", 1, 0, 1, 0)]),
    ("decr", &[spec("RW access update", 1, 0, 1, 0)]),
    ("incrby", &[spec("RW access update", 1, 0, 1, 0)]),
    ("decrby", &[spec("RW access update", 1, 0, 1, 0)]),
    ("incrbyfloat", &[spec("RW access update", 1, 0, 1, 0)]),
    ("del", &[spec("RM delete", 1, -1, 1, 0)]),
    ("unlink", &[spec("RM delete", 1, -1, 1, 0)]),
    ("exists", &[spec("RO", 1, -1, 1, 0)]),
    ("type", &[spec("RO", 1, 0, 1, 0)]),
    ("rename", &[spec("RW access delete", 1, 0, 1, 0), spec("OW update", 2, 0, 1, 0)]),
    ("renamenx", &[spec("RW access delete", 1, 0, 1, 0), spec("OW insert", 2, 0, 1, 0)]),
    ("copy", &[spec("RO access", 1, 0, 1, 0), spec("OW update", 2, 0, 1, 0)]),
    ("move", &[spec("RW access update", 1, 0, 1, 0)]),
    ("touch", &[spec("RO", 1, -1, 1, 0)]),
    ("blmove", &[spec("RW access delete", 1, 0, 1, 0), spec("RW insert", 2, 0, 1, 0)]),
    ("blpop", &[spec("RW access delete", 1, -2, 1, 0)]),
    ("brpop", &[spec("RW access delete", 1, -2, 1, 0)]),
    ("brpoplpush", &[spec("RW access delete", 1, 0, 1, 0), spec("RW insert", 2, 0, 1, 0)]),
    ("linsert", &[spec("RW insert", 1, 0, 1, 0)]),
    ("llen", &[spec("RO", 1, 0, 1, 0)]),
    ("lmove", &[spec("RW access delete", 1, 0, 1, 0), spec("RW insert", 2, 0, 1, 0)]),
    ("lpop", &[spec("RW access delete", 1, 0, 1, 0)]),
    ("lpush", &[spec("RW insert", 1, 0, 1, 0)]),
    ("lpushx", &[spec("RW insert", 1, 0, 1, 0)]),
    ("lrem", &[spec("RW delete", 1, 0, 1, 0)]),
    ("ltrim", &[spec("RW delete", 1, 0, 1, 0)]),
    ("rpop", &[spec("RW access delete", 1, 0, 1, 0)]),
    ("rpoplpush", &[spec("RW access delete", 1, 0, 1, 0), spec("RW insert", 2, 0, 1, 0)]),
    ("rpush", &[spec("RW insert", 1, 0, 1, 0)]),
    ("rpushx", &[spec("RW insert", 1, 0, 1, 0)]),
    ("hdel", &[spec("RW delete", 1, 0, 1, 0)]),
    ("hexists", &[spec("RO", 1, 0, 1, 0)]),
    ("hincrby", &[spec("RW access update", 1, 0, 1, 0)]),
    ("hincrbyfloat", &[spec("RW access update", 1, 0, 1, 0)]),
    ("hlen", &[spec("RO", 1, 0, 1, 0)]),
    ("hsetnx", &[spec("RW insert", 1, 0, 1, 0)]),
    ("hstrlen", &[spec("RO", 1, 0, 1, 0)]),
    ("sadd", &[spec("RW insert", 1, 0, 1, 0)]),
    ("scard", &[spec("RO", 1, 0, 1, 0)]),
    ("sdiffstore", &[spec("OW update", 1, 0, 1, 0), spec("RO access", 2, -1, 1, 0)]),
    ("sinterstore", &[spec("RW update", 1, 0, 1, 0), spec("RO access", 2, -1, 1, 0)]),
    ("sismember", &[spec("RO", 1, 0, 1, 0)]),
    ("smove", &[spec("RW access delete", 1, 0, 1, 0), spec("RW insert", 2, 0, 1, 0)]),
    ("spop", &[spec("RW access delete", 1, 0, 1, 0)]),
    ("srem", &[spec("RW delete", 1, 0, 1, 0)]),
    ("sunionstore", &[spec("OW update", 1, 0, 1, 0), spec("RO access", 2, -1, 1, 0)]),
    ("bzpopmax", &[spec("RW access delete", 1, -2, 1, 0)]),
    ("bzpopmin", &[spec("RW access delete", 1, -2, 1, 0)]),
    ("zcard", &[spec("RO", 1, 0, 1, 0)]),
    ("zincrby", &[spec("RW access update", 1, 0, 1, 0)]),
    ("zpopmax", &[spec("RW access delete", 1, 0, 1, 0)]),
    ("zpopmin", &[spec("RW access delete", 1, 0, 1, 0)]),
    ("zrangestore", &[spec("OW update", 1, 0, 1, 0), spec("RO access", 2, 0, 1, 0)]),
    ("zrem", &[spec("RW delete", 1, 0, 1, 0)]),
    ("zremrangebylex", &[spec("RW delete", 1, 0, 1, 0)]),
    ("zremrangebyrank", &[spec("RW delete", 1, 0, 1, 0)]),
    ("zremrangebyscore", &[spec("RW delete", 1, 0, 1, 0)]),
    ("watch", &[spec("RO", 1, -1, 1, 0)]),
    ("restore", &[spec("OW update", 1, 0, 1, 0)]),
    ("bitfield", &[spec("RW access update variable_flags", 1, 0, 1, 0)]),
    ("bitop", &[spec("OW update", 2, 0, 1, 0), spec("RO access", 3, -1, 1, 0)]),
    ("setbit", &[spec("RW access update", 1, 0, 1, 0)]),
    ("pfadd", &[spec("RW insert", 1, 0, 1, 0)]),
    ("pfcount", &[spec("RW access", 1, -1, 1, 0)]),
    ("pfmerge", &[spec("RW access insert", 1, 0, 1, 0), spec("RO access", 2, -1, 1, 0)]),
    ("spublish", &[spec("not_key", 1, 0, 1, 0)]),
    ("ssubscribe", &[spec("not_key", 1, -1, 1, 0)]),
    ("sunsubscribe", &[spec("not_key", 1, -1, 1, 0)]),
    ("object|encoding", &[spec("RO", 2, 0, 1, 0)]),
    ("object|freq", &[spec("RO", 2, 0, 1, 0)]),
    ("object|idletime", &[spec("RO", 2, 0, 1, 0)]),
    ("object|refcount", &[spec("RO", 2, 0, 1, 0)]),
    ("memory|usage", &[spec("RO", 2, 0, 1, 0)]),
];

/// The key spec override of a command, if it has one.
pub fn key_specs(name: &str) -> Option<&'static [KeySpec]> {
    KEY_SPECS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The documentation row of a command or `parent|sub`.
pub fn doc(name: &str) -> Option<&'static Doc> {
    if name.contains('|') {
        SUBCOMMANDS.iter().find(|d| d.name == name)
    } else {
        DOCS.iter().find(|d| d.name == name)
    }
}

/// The subcommands of `parent` (empty if it is no container).
pub fn subcommands(parent: &str) -> impl Iterator<Item = &'static Doc> + '_ {
    SUBCOMMANDS.iter().filter(move |d| {
        d.name.len() > parent.len()
            && d.name.starts_with(parent)
            && d.name.as_bytes()[parent.len()] == b'|'
    })
}

pub fn is_container(name: &str) -> bool {
    subcommands(name).next().is_some()
}

/// `parent|sub` as a static name for a container's subcommand (what
/// CLIENT LIST shows as `cmd=`), or the parent's name for an unknown one.
pub fn subcommand_name(parent: &'static str, sub: &[u8]) -> &'static str {
    subcommands(parent)
        .find(|d| d.name.as_bytes()[parent.len() + 1..].eq_ignore_ascii_case(sub))
        .map_or(parent, |d| d.name)
}

/// Redis's ACL categories, in its bit order (the order COMMAND prints).
pub const CATEGORIES: &[&str] = &[
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

fn cat_bit(name: &str) -> u32 {
    CATEGORIES
        .iter()
        .position(|c| *c == name)
        .map_or(0, |i| 1 << i)
}

/// The ACL categories of a command with `flags` in `group`, as a bit set
/// over [`CATEGORIES`] (Redis's `setImplicitACLCategories` plus the
/// group's own category and the row's extras).
pub fn categories(flags: u32, group: &str, extra: &str) -> u32 {
    let mut c = 0;
    if flags & WRITE != 0 {
        c |= cat_bit("write");
    }
    // Scripts are not @read even when read-only (Redis's
    // `setImplicitACLCategories`).
    if flags & READONLY != 0 && group != "scripting" {
        c |= cat_bit("read");
    }
    if flags & ADMIN != 0 {
        c |= cat_bit("admin") | cat_bit("dangerous");
    }
    if flags & PUBSUB != 0 {
        c |= cat_bit("pubsub");
    }
    if flags & BLOCKING != 0 {
        c |= cat_bit("blocking");
    }
    c |= cat_bit(if flags & FAST != 0 { "fast" } else { "slow" });
    c |= cat_bit(match group {
        "generic" => "keyspace",
        "string" => "string",
        "list" => "list",
        "set" => "set",
        "sorted-set" => "sortedset",
        "hash" => "hash",
        "bitmap" => "bitmap",
        "hyperloglog" => "hyperloglog",
        "geo" => "geo",
        "stream" => "stream",
        "pubsub" => "pubsub",
        "connection" => "connection",
        "transactions" => "transaction",
        "scripting" => "scripting",
        _ => "",
    });
    for e in extra.split_whitespace() {
        match e.strip_prefix('-') {
            Some(removed) => c &= !cat_bit(removed),
            None => c |= cat_bit(e),
        }
    }
    c
}

/// Redis's command flag names, in the order COMMAND INFO prints them.
pub const FLAG_NAMES: &[(u32, &str)] = &[
    (WRITE, "write"),
    (READONLY, "readonly"),
    (DENYOOM, "denyoom"),
    (ADMIN, "admin"),
    (PUBSUB, "pubsub"),
    (NOSCRIPT, "noscript"),
    (BLOCKING, "blocking"),
    (LOADING, "loading"),
    (STALE, "stale"),
    (SKIP_MONITOR, "skip_monitor"),
    (SKIP_SLOWLOG, "skip_slowlog"),
    (FAST, "fast"),
    (NOAUTH, "no_auth"),
    (MAY_REPLICATE, "may_replicate"),
    (NO_MANDATORY_KEYS, "no_mandatory_keys"),
    (NO_ASYNC_LOADING, "no_async_loading"),
    (NO_MULTI, "no_multi"),
    (MOVABLEKEYS, "movablekeys"),
    (ALLOW_BUSY, "allow_busy"),
];

/// One argument of COMMAND DOCS, built from a syntax line.
#[derive(Debug, PartialEq)]
pub struct Arg {
    pub name: String,
    pub kind: &'static str,
    pub token: Option<String>,
    pub optional: bool,
    pub multiple: bool,
    pub key_spec_index: Option<usize>,
    pub args: Vec<Arg>,
}

impl Arg {
    fn new(name: &str, kind: &'static str) -> Arg {
        Arg {
            name: name.to_string(),
            kind,
            token: None,
            optional: false,
            multiple: false,
            key_spec_index: None,
            args: Vec::new(),
        }
    }
}

/// A syntax line's tree: words, optional groups and alternatives.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Word(String),
    Ellipsis,
    Optional(Vec<Vec<Node>>),
}

fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '[' | ']' | '|' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(ch.to_string());
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Parses alternatives up to a closing `]` (or the end).
fn parse_alts(toks: &[String], pos: &mut usize) -> Vec<Vec<Node>> {
    let mut alts = vec![Vec::new()];
    while *pos < toks.len() {
        let t = &toks[*pos];
        *pos += 1;
        match t.as_str() {
            "]" => break,
            "|" => alts.push(Vec::new()),
            t => {
                let node = match t {
                    "[" => Node::Optional(parse_alts(toks, pos)),
                    "..." => Node::Ellipsis,
                    w => Node::Word(w.to_string()),
                };
                if let Some(a) = alts.last_mut() {
                    a.push(node);
                }
            }
        }
    }
    alts
}

fn is_token(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_uppercase())
        && w.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The argument type Redis's docs would give a placeholder name.
fn kind_of(name: &str) -> &'static str {
    match name {
        "key" | "key1" | "key2" | "newkey" | "source" | "destination" => "key",
        "pattern" => "pattern",
        "increment" | "decrement" | "seconds" | "milliseconds" | "count" | "timeout" | "offset"
        | "start" | "end" | "index" | "index1" | "index2" | "db" | "destination-db" | "cursor"
        | "protover" | "client-id" | "min-match-len" => "integer",
        n if n.starts_with("unix-time") => "unix-time",
        _ => "string",
    }
}

/// Turns one alternative (a sequence of nodes) into arguments.
fn convert_seq(seq: &[Node], keys: &mut usize) -> Vec<Arg> {
    let mut out: Vec<Arg> = Vec::new();
    let mut i = 0;
    while i < seq.len() {
        match &seq[i] {
            Node::Word(w) if is_token(w) => {
                // `TOKEN name` is one argument with a token.
                if let Some(Node::Word(n)) = seq.get(i + 1)
                    && !is_token(n)
                {
                    let mut a = placeholder(n, keys);
                    a.token = Some(w.clone());
                    out.push(a);
                    i += 2;
                    continue;
                }
                let mut a = Arg::new(&w.to_ascii_lowercase(), "pure-token");
                a.token = Some(w.clone());
                out.push(a);
            }
            Node::Word(w) => out.push(placeholder(w, keys)),
            Node::Ellipsis => {}
            Node::Optional(alts) => {
                // `x [x ...]`: the previous argument repeats.
                let repeats =
                    alts.len() == 1 && alts[0].last() == Some(&Node::Ellipsis) && !out.is_empty();
                if repeats {
                    let n = alts[0].len() - 1;
                    if n > 1 && out.len() >= n {
                        // `key value [key value ...]`: a repeated block.
                        let inner: Vec<Arg> = out.drain(out.len() - n..).collect();
                        let name = inner.iter().map(|a| a.name.as_str()).collect::<Vec<_>>();
                        let mut b = Arg::new(&name.join("_"), "block");
                        b.multiple = true;
                        b.args = inner;
                        out.push(b);
                    } else if let Some(last) = out.last_mut() {
                        last.multiple = true;
                    }
                } else {
                    let mut a = convert_alts(alts, keys);
                    a.optional = true;
                    out.push(a);
                }
            }
        }
        i += 1;
    }
    out
}

fn placeholder(name: &str, keys: &mut usize) -> Arg {
    let mut a = Arg::new(name, kind_of(name));
    if a.kind == "key" {
        // Every key argument is found by the command's one key spec.
        a.key_spec_index = Some(0);
        *keys += 1;
    }
    a
}

/// Alternatives become a `oneof`; a single alternative of one argument is
/// that argument; of several, a `block`.
fn convert_alts(alts: &[Vec<Node>], keys: &mut usize) -> Arg {
    if alts.len() > 1 {
        let args: Vec<Arg> = alts
            .iter()
            .map(|seq| {
                let mut v = convert_seq(seq, keys);
                if v.len() == 1 {
                    v.remove(0)
                } else {
                    let name = v
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join("_");
                    let mut b = Arg::new(&name, "block");
                    b.args = v;
                    b
                }
            })
            .collect();
        let name = if args.iter().all(|a| a.kind == "pure-token") {
            "condition"
        } else {
            "option"
        };
        let mut a = Arg::new(name, "oneof");
        a.args = args;
        return a;
    }
    let mut v = convert_seq(&alts[0], keys);
    if v.len() == 1 {
        return v.remove(0);
    }
    let name = v
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join("_");
    let mut b = Arg::new(&name, "block");
    b.args = v;
    b
}

/// COMMAND DOCS's argument tree for a syntax line.
pub fn arguments(syntax: &str) -> Vec<Arg> {
    let toks = tokenize(syntax);
    let mut pos = 0;
    let alts = parse_alts(&toks, &mut pos);
    let mut keys = 0;
    if alts.len() > 1 {
        return vec![convert_alts(&alts, &mut keys)];
    }
    convert_seq(&alts[0], &mut keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_becomes_arguments() {
        let a = arguments("key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]");
        assert_eq!(a.len(), 5);
        assert_eq!((a[0].name.as_str(), a[0].kind), ("key", "key"));
        assert_eq!(a[0].key_spec_index, Some(0));
        assert_eq!((a[1].name.as_str(), a[1].kind), ("value", "string"));
        assert_eq!(
            (a[2].kind, a[2].optional, a[2].args.len()),
            ("oneof", true, 2)
        );
        assert_eq!(a[2].args[0].token.as_deref(), Some("NX"));
        assert_eq!((a[3].kind, a[3].optional), ("pure-token", true));
        let ex = &a[4].args[0];
        assert_eq!(
            (ex.name.as_str(), ex.kind, ex.token.as_deref()),
            ("seconds", "integer", Some("EX"))
        );
        let m = arguments("key [key ...]");
        assert_eq!(m.len(), 1);
        assert!(m[0].multiple);
        let kv = arguments("key value [key value ...]");
        assert_eq!((kv.len(), kv[0].kind, kv[0].multiple), (1, "block", true));
        assert_eq!(kv[0].args.len(), 2);
        let o = arguments("ON | OFF");
        assert_eq!((o.len(), o[0].kind, o[0].optional), (1, "oneof", false));
        assert!(arguments("").is_empty());
    }

    #[test]
    fn every_doc_row_parses_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for d in DOCS.iter().chain(SUBCOMMANDS) {
            assert!(seen.insert(d.name), "duplicate doc row {}", d.name);
            let _ = arguments(d.syntax);
        }
        // Each parent's subcommands are contiguous.
        let mut runs: Vec<&str> = SUBCOMMANDS
            .iter()
            .map(|d| d.name.split('|').next().unwrap())
            .collect();
        runs.dedup();
        let distinct: std::collections::HashSet<&str> = runs.iter().copied().collect();
        assert_eq!(runs.len(), distinct.len(), "{runs:?}");
        let mut specs = std::collections::HashSet::new();
        for (n, v) in KEY_SPECS {
            assert!(specs.insert(*n) && !v.is_empty(), "key specs of {n}");
        }
        assert_eq!(subcommand_name("client", b"LIST"), "client|list");
        assert_eq!(subcommand_name("client", b"nope"), "client");
        assert!(is_container("config") && !is_container("get"));
    }

    #[test]
    fn group_from_handler_module() {
        assert_eq!(group_of_path("list::lpush"), "list");
        assert_eq!(group_of_path("zset::zadd"), "sorted-set");
        assert_eq!(group_of_path("keys::del"), "generic");
        assert_eq!(group_of_path("multi::exec"), "transactions");
    }

    #[test]
    fn categories_follow_flags_and_group() {
        let names = |bits: u32| {
            CATEGORIES
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, c)| *c)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(categories(READONLY | FAST, "string", "")),
            ["read", "string", "fast"]
        );
        assert_eq!(
            names(categories(WRITE, "server", "keyspace dangerous")),
            ["keyspace", "write", "slow", "dangerous"]
        );
        assert_eq!(
            names(categories(ADMIN_SUB, "connection", "")),
            ["admin", "slow", "dangerous", "connection"]
        );
    }
}
