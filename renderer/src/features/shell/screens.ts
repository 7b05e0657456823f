// Every screen of the window, each registered by its feature; the order here is only the order modules load in
// (each screen's own `order` places it).
import '../users/screen';
import '../logs/screen';
import '../bulk/screen';
import '../snapshots/screen';
import '../insights/screen';
import '../tenants/screen';
import '../audit/screen';
import '../roles/screen';
import '../organizations/screen';
import '../imports/screen';
import '../across/screen';
import '../tasks/screen';
