/** The operator's kit as data: the PromQL queries and alerting rules under ops/prometheus. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const OPS = fileURLToPath(new URL('../../../ops/', import.meta.url));

export interface Query {
  readonly id: string;
  readonly question: string;
  readonly expr: string;
}

export interface QueryGroup {
  readonly name: string;
  readonly title: string;
  readonly queries: readonly Query[];
}

export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

export function queryGroups(): QueryGroup[] {
  return (parse(readFileSync(`${OPS}prometheus/queries.yml`, 'utf8')) as { groups: QueryGroup[] }).groups;
}

export function allQueries(): Query[] {
  return queryGroups().flatMap((g) => g.queries);
}

/** The query group about clusters: tested against a real 3-node cluster, not the (single-node) demo. */
export const CLUSTER_GROUP = 'cluster';

/** The queries the demo answers: every group but the cluster's. */
export function demoQueries(): Query[] {
  return queryGroups()
    .filter((g) => g.name !== CLUSTER_GROUP)
    .flatMap((g) => g.queries);
}

/** The cluster group's queries. */
export function clusterQueries(): Query[] {
  return queryGroups()
    .filter((g) => g.name === CLUSTER_GROUP)
    .flatMap((g) => g.queries);
}

/** The rule files loaded against the demo. */
export const RULE_FILES = ['alerts.yml', 'slo.yml'] as const;
/** The cluster's rule files, loaded against a real 3-node cluster. */
export const CLUSTER_RULE_FILES = ['cluster-alerts.yml'] as const;

export function ruleGroups(file: (typeof RULE_FILES)[number] | (typeof CLUSTER_RULE_FILES)[number]): RuleGroup[] {
  return (parse(readFileSync(`${OPS}prometheus/${file}`, 'utf8')) as { groups: RuleGroup[] }).groups;
}
