/** Neo4j: the metrics graph store. */
package dev.switchboard.neo4j;
