// What every route module is given: the database, the Temporal client, configuration, a log and the
// metrics the routes count into.
import type { Client } from '@temporalio/client';
import type { Clearinghouse } from '../../domain/clearinghouse';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../infra/config';
import type { Metrics } from '../../infra/metrics';
import type { Log } from './errors';
import type { TemporalTimeouts } from './temporal';

export interface ApiContext {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  log: Log;
  metrics: Metrics;
  timeouts: TemporalTimeouts;
  /** where on-demand eligibility checks go (the worker's clearinghouse, once known); none, they answer 503 */
  clearinghouse: () => Clearinghouse | undefined;
}
