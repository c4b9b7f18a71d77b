// Drives `pioneer serve` with the SMART on FHIR JavaScript client (npm `fhirclient`),
// unmodified, the way a SMART app holding a token would: the FHIR release from /metadata
// (fetched without a token), Patient search by NHS Number, a clinical search walked to its end
// through the `next` links (pageLimit 0), a read, and a 404 that surfaces as an HttpError; with
// a WRITE_TOKEN (scope user/CarePlan.write), a CarePlan round trip: conditional create
// (If-None-Exist), update with If-Match from the version read, an update without If-Match
// refused (428), and the instance history.
// fhirclient sends `Accept: application/json` and `Content-Type: application/json` (not the
// FHIR media types) and encodes only `|` in queries: the server must take both as they are.
// Prints a JSON summary; exit status 1 on any failure. Usage:
//   node fhirclient_check.cjs FHIRCLIENT_NODE_MODULES BASE_URL TOKEN NHS_NUMBER FAMILY
//        ENCOUNTERS [WRITE_TOKEN]
'use strict';
const path = require('node:path');

const [modules, baseUrl, token, nhsNumber, family, encounters, writeToken] =
    process.argv.slice(2);
const smart = require(path.join(modules, 'fhirclient'));

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
// In Node the client factory wants a request and a response; a client built from a token
// never uses them.
const clientFor = (accessToken) =>
  smart({ headers: {} }, {}).client({ serverUrl: baseUrl, tokenResponse: { access_token: accessToken } });

(async () => {
  try {
    const client = clientFor(token);
    check(await client.getFhirRelease() === 4, 'getFhirRelease from /metadata');

    const found = await client.request(
      `Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`,
      { flat: true, pageLimit: 0 });
    check(Array.isArray(found) && found.length === 1 && found[0].name[0].family === family,
          'search by NHS Number');
    const id = found[0].id;

    const all = await client.request(`Encounter?patient=Patient/${id}&_count=1`,
                                     { flat: true, pageLimit: 0 });
    check(all.length === Number(encounters) && all.every((e) => e.resourceType === 'Encounter'),
          `all encounters through the next links (${all.length})`);

    const patient = await client.request(`Patient/${id}`);
    check(patient.resourceType === 'Patient' && patient.id === id, 'read Patient');

    let status = 0;
    try {
      await client.request('Patient/99999999');
    } catch (e) {
      status = e.status || (e.response && e.response.status);
    }
    check(status === 404, `404 as an HttpError (${status})`);

    if (writeToken) {
      const writer = clientFor(writeToken);
      const ods = 'https://fhir.nhs.uk/Id/ods-organization-code';
      const plan = {
        resourceType: 'CarePlan',
        identifier: [{ system: 'https://app.example.org/care-plans', value: 'fhirclient-1' }],
        status: 'draft',
        intent: 'plan',
        subject: { reference: `Patient/${id}` },
        period: { start: '2025-03-01' },
        description: 'Written by fhirclient',
        contained: [{ resourceType: 'CareTeam', id: 'team',
                      managingOrganization: [{ identifier: { system: ods, value: 'B86001' } }] }],
        careTeam: [{ reference: '#team' }],
      };
      const ifNoneExist = {
        'If-None-Exist': 'identifier=https://app.example.org/care-plans|fhirclient-1' };
      const created = await writer.create(plan, { headers: ifNoneExist });
      check(created.resourceType === 'CarePlan' && created.meta.versionId === '1',
            'create CarePlan');
      const again = await writer.create(plan, { headers: ifNoneExist });
      check(again.id === created.id, 'conditional create returns the existing plan');

      const current = await writer.request(`CarePlan/${created.id}`);
      let refused = 0;
      try {
        await writer.update({ ...current, status: 'active' });
      } catch (e) {
        refused = e.status || (e.response && e.response.status);
      }
      check(refused === 428, `update without If-Match refused (${refused})`);
      const updated = await writer.update(
        { ...current, status: 'active' },
        { headers: { 'If-Match': `W/"${current.meta.versionId}"` } });
      check(updated.status === 'active' && updated.meta.versionId === '2', 'update with If-Match');
      const history = await writer.request(`CarePlan/${created.id}/_history`);
      check(history.type === 'history' && history.total === 2, 'instance history');
    }
  } catch (e) {
    failures.push(`exception: ${e.message}`);
  }
  console.log(JSON.stringify({ failures }, null, 2));
  process.exit(failures.length ? 1 : 0);
})();
