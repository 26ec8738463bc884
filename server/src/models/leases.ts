import { LEASE_UID } from '../constants';

export const LEASES_TABLE = 'personalize_leases';

/**
 * Leases of scheduled work (services/cluster/shared-state.ts): one row per job occurrence, whose
 * unique name lets one instance of several take it; rows go once expired.
 */
export const leaseModel = {
  uid: LEASE_UID,
  singularName: 'lease',
  tableName: LEASES_TABLE,
  attributes: {
    id: { type: 'increments' },
    name: { type: 'string', column: { notNullable: true } },
    holder: { type: 'string', column: { notNullable: true } },
    expiresAt: { type: 'datetime', column: { notNullable: true } },
  },
  indexes: [{ name: 'personalize_leases_name_uq', type: 'unique', columns: ['name'] }],
} as const;
