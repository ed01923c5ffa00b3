// What every activity module needs from the outside world, built once by the worker.
import type { PrismaClient } from '../generated/prisma/client';
import type { Clearinghouse } from '../domain/clearinghouse';
import type { CodeIndex } from '../domain/codeSearch';

export interface ActivityDeps {
  prisma: PrismaClient;
  clearinghouse: Clearinghouse;
  icd10: CodeIndex;
}
