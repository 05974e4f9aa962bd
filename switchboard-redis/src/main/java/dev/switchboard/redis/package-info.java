/** Redis: the metrics store and the state replicas share. */
package dev.switchboard.redis;
