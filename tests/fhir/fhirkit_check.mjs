// Drives `pioneer serve` with the npm client fhir-kit-client, unmodified, the way an app
// would: capability statement without a token, then with a bearer token: Patient search by
// NHS Number, read, clinical search with paging (nextPage), $everything via operation()
// (POST with an empty body) and a 404 read that must surface as an OperationOutcome; with a
// WRITE_TOKEN (scope user/CarePlan.write), a CarePlan round trip: conditional create
// (If-None-Exist), update with If-Match from the version read, a stale update refused (412),
// vread and instance history; then a transaction Bundle through transaction() with a
// conditional reference by NHS Number.
// Prints a JSON summary; exit status 1 on any failure. Usage:
//   node fhirkit_check.mjs WEB_NODE_MODULES BASE_URL TOKEN NHS_NUMBER FAMILY [WRITE_TOKEN]
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, baseUrl, token, nhsNumber, family, writeToken] = process.argv.slice(2);
const { Client } = await import(
  pathToFileURL(path.join(modules, 'fhir-kit-client', 'dist', 'index.js')).href);

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

try {
  const anonymous = new Client({ baseUrl });
  const cs = await anonymous.capabilityStatement();
  check(cs.resourceType === 'CapabilityStatement' && cs.fhirVersion === '4.0.1',
        'capabilityStatement');

  const client = new Client({ baseUrl, bearerToken: token });
  const found = await client.search({
    resourceType: 'Patient',
    searchParams: { identifier: `https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}` },
  });
  check(found.resourceType === 'Bundle' && found.total === 1, 'search by NHS Number');
  const id = found.entry[0].resource.id;
  const patient = await client.read({ resourceType: 'Patient', id });
  check(patient.name[0].family === family, 'read Patient');

  const page1 = await client.search({
    resourceType: 'Encounter', searchParams: { patient: `Patient/${id}`, _count: '2' } });
  const page2 = await client.nextPage({ bundle: page1 });
  check(page1.entry.length === 2 && page2 && page2.entry.length >= 1, 'nextPage');

  const everything = await client.operation({ name: '$everything', resourceType: 'Patient', id });
  check(everything.resourceType === 'Bundle' && everything.total >= 1, '$everything (POST)');

  let status = 0, outcome = '';
  try {
    await client.read({ resourceType: 'Patient', id: '99999999' });
  } catch (e) {
    status = e.response && e.response.status;
    outcome = e.response && e.response.data && e.response.data.resourceType;
  }
  check(status === 404 && outcome === 'OperationOutcome', `404 as OperationOutcome (${status})`);

  if (writeToken) {
    const writer = new Client({ baseUrl, bearerToken: writeToken });
    const ods = 'https://fhir.nhs.uk/Id/ods-organization-code';
    const plan = {
      resourceType: 'CarePlan',
      identifier: [{ system: 'https://app.example.org/care-plans', value: 'fhirkit-1' }],
      status: 'draft',
      intent: 'plan',
      subject: { reference: `Patient/${id}` },
      period: { start: '2025-02-01' },
      description: 'Written by fhir-kit-client',
      contained: [{ resourceType: 'CareTeam', id: 'team',
                    managingOrganization: [{ identifier: { system: ods, value: 'B86001' } }] }],
      careTeam: [{ reference: '#team' }],
    };
    const ifNoneExist = { 'If-None-Exist': 'identifier=https://app.example.org/care-plans|fhirkit-1' };
    const created = await writer.create({ resourceType: 'CarePlan', body: plan,
                                          options: { headers: ifNoneExist } });
    check(created.resourceType === 'CarePlan' && created.meta.versionId === '1', 'create CarePlan');
    const again = await writer.create({ resourceType: 'CarePlan', body: plan,
                                        options: { headers: ifNoneExist } });
    check(again.id === created.id, 'conditional create returns the existing plan');
    const current = await writer.read({ resourceType: 'CarePlan', id: created.id });
    const changed = { ...current, status: 'active' };
    const updated = await writer.update({
      resourceType: 'CarePlan', id: created.id, body: changed,
      options: { headers: { 'If-Match': `W/"${current.meta.versionId}"` } } });
    check(updated.status === 'active' && updated.meta.versionId === '2', 'update with If-Match');
    let stale = 0;
    try {
      await writer.update({ resourceType: 'CarePlan', id: created.id, body: changed,
                            options: { headers: { 'If-Match': 'W/"1"' } } });
    } catch (e) {
      stale = e.response && e.response.status;
    }
    check(stale === 412, `stale If-Match refused (${stale})`);
    const v1 = await writer.vread({ resourceType: 'CarePlan', id: created.id, version: '1' });
    check(v1.status === 'draft', 'vread version 1');
    const history = await writer.resourceHistory({ resourceType: 'CarePlan', id: created.id });
    check(history.type === 'history' && history.total === 2, 'instance history');

    // A transaction through the client's transaction(): a plan whose subject is a
    // conditional reference by NHS Number, and a search that runs after it.
    const txPlan = { ...plan, identifier: [{ system: 'https://app.example.org/care-plans',
                                             value: 'fhirkit-tx' }],
                     subject: { reference:
                       `Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}` } };
    const tx = await writer.transaction({ body: {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { request: { method: 'GET', url: `CarePlan?patient=${id}&_count=200` } },
        { fullUrl: 'urn:uuid:6c1f0000-0000-4000-8000-00000000f001', resource: txPlan,
          request: { method: 'POST', url: 'CarePlan' } },
      ] } });
    check(tx.type === 'transaction-response' && tx.entry.length === 2 &&
          tx.entry[1].response.status === '201 Created', 'transaction()');
    const txId = tx.entry[1].resource && tx.entry[1].resource.id;
    check(tx.entry[1].resource && tx.entry[1].resource.subject.reference === `Patient/${id}`,
          'transaction resolved the conditional reference');
    check((tx.entry[0].resource.entry || []).some((e) => e.resource.id === txId),
          'transaction GET ran after the POST');
  }
} catch (e) {
  failures.push(`exception: ${e.message}`);
}
console.log(JSON.stringify({ failures }, null, 2));
process.exit(failures.length ? 1 : 0);
