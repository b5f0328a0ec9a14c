// ESM half of the `make test-node-pack` smoke test (see pack-smoke.cjs).
import assert from 'node:assert/strict'
import { Client, smsParts, NotFoundError } from 'zignsec'

assert.equal(smsParts('Привет').encoding, 'ucs2')
const client = new Client()
const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'packed esm' })
assert.equal((await client.getSmsSession(sms.id)).id, sms.id)
await assert.rejects(client.getPhoneSession('26f5cc23-dbbb-45bb-a210-2818e70637bd'), NotFoundError)
console.log(`pack-smoke (esm): sent ${sms.id}`)
