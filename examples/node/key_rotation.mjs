// Key rotation without downtime: the client holds the old key as primary and the new
// one as secondary. A 401 to the key in use is retried at once, once, with the other
// key, and the client keeps the key that worked.
//
//   scripts/with-mock.sh node examples/node/key_rotation.mjs
//
// (The offline gateway knows only ZIGNSEC_API_KEY, so the "old" key below is refused.)
import { Client } from 'zignsec'

const newKey = process.env.ZIGNSEC_API_KEY
if (!newKey) throw new Error('set ZIGNSEC_API_KEY (or run through scripts/with-mock.sh)')

const client = new Client({
  apiKey: 'sk_test_revoked_old_key', // the primary: already revoked
  secondaryApiKey: newKey, // the secondary: the key that works now
  authScheme: 'authorization', // or 'product-key' (the Zs-Product-Key header)
})
console.log('client:', client) // neither key is ever shown

for (const n of [1, 2]) {
  const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'Your code is 48213' })
  console.log(`send ${n}: session ${sms.id} is ${sms.status}`)
}
console.log('the first send took one extra request; the second went straight to the new key')
