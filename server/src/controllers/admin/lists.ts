import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';

import type { ListName } from '../../services/catalog';
import { getService } from '../../utils/get-service';
import { parseOrThrow } from '../../utils/validation';

const pageQuerySchema = z.strictObject({
  // Bounded so that no offset can overflow the database's integer.
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** A controller whose `find` action serves one paginated catalog list. */
export const listController =
  (name: ListName) =>
  ({ strapi }: { strapi: Core.Strapi }) => ({
    async find(ctx: Context) {
      const page = parseOrThrow(pageQuerySchema, ctx.query, 'query');
      ctx.body = await getService(strapi, 'catalog').list(name, page);
    },
  });
