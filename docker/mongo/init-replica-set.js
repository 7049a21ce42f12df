// Run by the one-shot mongo-init service (mongosh --host mongo:27017 this-file).
// Initiates the single-node replica set rs0 unless it already exists, then waits until
// this node is the writable primary; a non-zero exit stops the apps from starting.
const config = { _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] };

try {
  const status = rs.status();
  print(`replica set ${status.set} already initiated`);
}
catch (e) {
  if (e.codeName !== 'NotYetInitialized') {
    throw e;
  }
  printjson(rs.initiate(config));
}

for (let attempt = 1; attempt <= 60; attempt++) {
  if (db.hello().isWritablePrimary) {
    print('replica set rs0 has a writable primary');
    quit(0);
  }
  sleep(1000);
}
print('no writable primary after 60 s');
quit(1);
