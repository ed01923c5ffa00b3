// What every route module is given: the database, the Temporal client, configuration and a log.
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../infra/config';
import type { Log } from './errors';
import type { TemporalTimeouts } from './temporal';

export interface ApiContext {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  log: Log;
  timeouts: TemporalTimeouts;
}
