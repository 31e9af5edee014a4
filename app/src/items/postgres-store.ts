import type { Pool } from "pg";
import type { Item, ItemInput, JsonObject } from "./item";
import type { ItemStore } from "./ports";

interface ItemRow {
  id: string;
  name: string;
  data: JsonObject;
  updated_at: Date;
}

const COLUMNS = "id, name, data, updated_at";

/** Converts a row; pg returns bigint as a string, which {@link parseItemId} bounds to a safe integer. */
function toItem(row: ItemRow): Item {
  return { id: Number(row.id), name: row.name, data: row.data, updatedAt: row.updated_at.toISOString() };
}

/** {@link ItemStore} backed by the `items` table created by the migrations. */
export class PostgresItemStore implements ItemStore {
  constructor(private readonly pool: Pool) {}

  async get(id: number): Promise<Item | undefined> {
    const result = await this.pool.query<ItemRow>(`SELECT ${COLUMNS} FROM items WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : toItem(row);
  }

  async create(input: ItemInput): Promise<Item> {
    const result = await this.pool.query<ItemRow>(`INSERT INTO items (name, data) VALUES ($1, $2) RETURNING ${COLUMNS}`, [
      input.name,
      JSON.stringify(input.data),
    ]);
    const row = result.rows[0];
    if (row === undefined) throw new Error("INSERT returned no row");
    return toItem(row);
  }

  async update(id: number, input: ItemInput): Promise<Item | undefined> {
    const result = await this.pool.query<ItemRow>(
      `UPDATE items SET name = $2, data = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, input.name, JSON.stringify(input.data)],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toItem(row);
  }
}

/** Cheapest round trip that proves the database answers. */
export async function pingPostgres(pool: Pool): Promise<void> {
  await pool.query("SELECT 1");
}
