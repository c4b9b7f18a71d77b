// Drives `pioneer serve` with the npm client fhir-kit-client, unmodified, the way an app
// would: capability statement without a token, then with a bearer token: Patient search by
// NHS Number, read, clinical search with paging (nextPage), $everything via operation()
// (POST with an empty body) and a 404 read that must surface as an OperationOutcome.
// Prints a JSON summary; exit status 1 on any failure. Usage:
//   node fhirkit_check.mjs WEB_NODE_MODULES BASE_URL TOKEN NHS_NUMBER FAMILY
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, baseUrl, token, nhsNumber, family] = process.argv.slice(2);
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
} catch (e) {
  failures.push(`exception: ${e.message}`);
}
console.log(JSON.stringify({ failures }, null, 2));
process.exit(failures.length ? 1 : 0);
