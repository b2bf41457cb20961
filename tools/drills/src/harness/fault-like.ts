/**
 * Words that would betray a fault hook: a route, parameter, header or variable meant to make the
 * gateway fail, hang or slow down on purpose. `failover` (the routing controls) and `failure`
 * (breaker settings) are not hooks, so `fail` only counts on its own.
 */
export const faultLike = /fault|chaos|inject|toxic|sabotage|simulat|crash|kill|blackhole|(?<![a-z])fail(?!over|ure|ed|s\b)|delay|latency|abort/i;
