// Command vcsim is the vCenter test peer of ProviderPortal's VMware connector tests.
//
// It runs govmomi's simulator (simulator.VPX(), Debian's golang-github-vmware-govmomi-dev 0.24.2) over TLS
// on 127.0.0.1 with a free port, and prints one JSON line: url, thumbprint (SHA-256 of the served
// certificate), datastore directory, credentials and VM count. It adds what the simulator lacks for
// replication tests:
//
//   - every VM disk gets a real -flat file of -disk-mib MiB (sparse) that a test writes into as a guest would;
//   - CreateSnapshot_Task freezes each disk: its -flat file is copied to a per-snapshot file, the snapshot's
//     disk backing names that file, and (when the VM has changeTrackingEnabled) the snapshot's and the live
//     disk's backing get a new changeId;
//   - QueryChangedDiskAreas is answered here from those frozen files, 64 KiB granularity: changeId "*" gives
//     the non-zero areas, a known changeId the areas that differ from the file frozen with it, an unknown one a
//     FileFault; each answer covers at most -cbt-page-mib MiB of disk, so clients must loop on startOffset;
//   - GET /peer/stats returns request counts per SOAP method (to check what a client sent).
//
// Build offline (tests/run.sh does it):
//
//	GO111MODULE=off GOPATH=$WORK:/usr/share/gocode GOCACHE=$WORK/cache GOFLAGS= go build -o vcsim .
//
// The process exits when its standard input closes, so a crashed test run leaves nothing behind.
package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"html"
	"io"
	"io/ioutil"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

const blockSize = 64 * 1024

type moref struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type queryChangedDiskAreas struct {
	This        moref  `xml:"_this"`
	Snapshot    *moref `xml:"snapshot"`
	DeviceKey   int32  `xml:"deviceKey"`
	StartOffset int64  `xml:"startOffset"`
	ChangeID    string `xml:"changeId"`
}

// pending is what a paged property retrieval has not sent yet.
type pending struct {
	objects [][]byte
	max     int
}

// frozenDisk is one disk as a snapshot saw it.
type frozenDisk struct {
	file     string // absolute path of the frozen -flat file
	changeID string // empty when change tracking was off
	capacity int64
}

type peer struct {
	mu        sync.Mutex
	snapshots map[string]map[int32]frozenDisk // snapshot moref -> device key -> disk
	changeIDs map[string]string               // "vm/deviceKey/changeId" -> frozen file
	sequence  int
	stats     map[string]int
	requests  int
	pageBytes int64
	sdk       http.Handler
	pages     map[string]pending // continuation token -> objects not sent yet
	stubborn  map[string]bool    // VM names whose guest ignores ShutdownGuest
}

func main() {
	vms := flag.Int("vm", 2, "VMs per resource pool (the VPX model has one standalone host and one cluster)")
	hosts := flag.Int("host", 1, "standalone hosts per datacenter")
	clusters := flag.Int("cluster", 1, "clusters per datacenter")
	clusterHosts := flag.Int("cluster-host", 3, "hosts per cluster")
	datacenters := flag.Int("dc", 1, "datacenters")
	diskMiB := flag.Int64("disk-mib", 64, "capacity of every VM disk, in MiB")
	pageMiB := flag.Int64("cbt-page-mib", 16, "disk span covered by one QueryChangedDiskAreas answer, in MiB")
	username := flag.String("username", "user", "the only user name Login accepts")
	password := flag.String("password", "pass", "the only password Login accepts")
	sessionTimeout := flag.Duration("session-timeout", 0, "idle sessions expire after this (0: never)")
	stubborn := flag.String("ignore-shutdown", "", "comma-separated VM names whose guest accepts ShutdownGuest but never shuts down")
	flag.Parse()

	model := simulator.VPX()
	model.Datacenter = *datacenters
	model.Host = *hosts
	model.Cluster = *clusters
	model.ClusterHost = *clusterHosts
	model.Machine = *vms
	model.Autostart = true
	if err := model.Create(); err != nil {
		log.Fatalf("creating the model: %v", err)
	}
	defer model.Remove()
	simulator.SessionIdleTimeout = *sessionTimeout

	capacity := *diskMiB * 1024 * 1024
	if err := sizeDisks(capacity); err != nil {
		model.Remove()
		log.Fatalf("sizing disks: %v", err)
	}

	model.Service.TLS = new(tls.Config)
	model.Service.Listen = &url.URL{Host: "127.0.0.1:0", User: url.UserPassword(*username, *password)}
	server := model.Service.NewServer()
	defer server.Close()

	p := &peer{
		snapshots: map[string]map[int32]frozenDisk{},
		changeIDs: map[string]string{},
		stats:     map[string]int{},
		pageBytes: *pageMiB * 1024 * 1024,
		pages:     map[string]pending{},
		stubborn:  map[string]bool{},
		sdk:       server.Config.Handler,
	}
	for _, name := range strings.Split(*stubborn, ",") {
		if name != "" {
			p.stubborn[name] = true
		}
	}
	// Set before any client knows the address, so no request races with it.
	server.Config.Handler = p

	cert := server.Certificate()
	sum := sha256.Sum256(cert.Raw)
	thumb := make([]string, len(sum))
	for i, b := range sum {
		thumb[i] = fmt.Sprintf("%02X", b)
	}

	endpoint := url.URL{Scheme: "https", Host: server.URL.Host}
	out, _ := json.Marshal(map[string]interface{}{
		"url":        endpoint.String(),
		"thumbprint": strings.Join(thumb, ":"),
		"datastore":  datastoreDir("LocalDS_0"),
		"username":   *username,
		"password":   *password,
		"vms":        len(simulator.Map.All("VirtualMachine")),
		"hosts":      len(simulator.Map.All("HostSystem")),
		"pid":        os.Getpid(),
	})
	fmt.Println(string(out))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		_, _ = io.Copy(ioutil.Discard, os.Stdin)
		stop <- syscall.SIGTERM
	}()
	<-stop
}

// sizeDisks gives every VM disk the capacity and a sparse -flat file of that size, and every NIC its own MAC address.
func sizeDisks(capacity int64) error {
	nics := 0
	for _, entity := range simulator.Map.All("VirtualMachine") {
		vm := entity.(*simulator.VirtualMachine)
		for i, device := range vm.Config.Hardware.Device {
			if _, ok := device.(types.BaseVirtualEthernetCard); ok {
				// The simulator shares one card between the VMs of a pool; vCenter gives each its own address.
				copied := reflect.New(reflect.ValueOf(device).Elem().Type())
				copied.Elem().Set(reflect.ValueOf(device).Elem())
				vm.Config.Hardware.Device[i] = copied.Interface().(types.BaseVirtualDevice)
				nics++
				card := vm.Config.Hardware.Device[i].(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
				card.MacAddress = fmt.Sprintf("00:50:56:%02x:%02x:%02x", (nics>>16)&0xff, (nics>>8)&0xff, nics&0xff)
				card.AddressType = string(types.VirtualEthernetCardMacTypeAssigned)
			}
		}
		if vm.Config.ChangeTrackingEnabled == nil {
			// vCenter always reports the flag; the simulator leaves it unset until a reconfigure.
			vm.Config.ChangeTrackingEnabled = types.NewBool(false)
		}
		for _, device := range vm.Config.Hardware.Device {
			disk, ok := device.(*types.VirtualDisk)
			if !ok {
				continue
			}
			disk.CapacityInKB = capacity / 1024
			disk.CapacityInBytes = capacity
			backing, ok := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
			if !ok {
				continue
			}
			file, err := flatFile(backing, backing.FileName)
			if err != nil {
				return err
			}
			f, err := os.OpenFile(file, os.O_CREATE|os.O_RDWR, 0o644)
			if err != nil {
				return err
			}
			err = f.Truncate(capacity)
			_ = f.Close()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func datastoreDir(name string) string {
	for _, entity := range simulator.Map.All("Datastore") {
		ds := entity.(*simulator.Datastore)
		if ds.Name == name {
			return ds.Info.GetDatastoreInfo().Url
		}
	}
	return ""
}

// flatFile maps a disk backing "[ds] dir/x.vmdk" to the absolute path of dir/x-flat.vmdk in that backing's datastore
// (datastores of different datacenters may share a name, so the backing's datastore reference decides).
func flatFile(backing *types.VirtualDiskFlatVer2BackingInfo, fileName string) (string, error) {
	if !strings.HasPrefix(fileName, "[") || !strings.Contains(fileName, "] ") {
		return "", fmt.Errorf("not a datastore path: %s", fileName)
	}
	end := strings.Index(fileName, "] ")
	dir := ""
	if backing.Datastore != nil {
		if ds, ok := simulator.Map.Get(*backing.Datastore).(*simulator.Datastore); ok {
			dir = ds.Info.GetDatastoreInfo().Url
		}
	}
	if dir == "" {
		dir = datastoreDir(fileName[1:end])
	}
	if dir == "" {
		return "", fmt.Errorf("unknown datastore in %s", fileName)
	}
	rel := strings.TrimSuffix(fileName[end+2:], ".vmdk") + "-flat.vmdk"
	return filepath.Join(dir, filepath.FromSlash(rel)), nil
}

func (p *peer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/peer/stats" {
		p.mu.Lock()
		out, _ := json.Marshal(map[string]interface{}{"requests": p.requests, "methods": p.stats})
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
		return
	}

	p.mu.Lock()
	p.requests++
	p.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/sdk" {
		p.sdk.ServeHTTP(w, r)
		return
	}

	body, err := ioutil.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	method, payload := soapMethod(body)
	p.mu.Lock()
	p.stats[method]++
	p.mu.Unlock()

	switch method {
	case "QueryChangedDiskAreas":
		if !p.authenticated(r) {
			writeFault(w, "NotAuthenticated", "The session is not authenticated.", "")
			return
		}
		var q queryChangedDiskAreas
		if err := xml.Unmarshal(payload, &q); err != nil {
			writeFault(w, "InvalidArgument", "QueryChangedDiskAreas: "+err.Error(), "")
			return
		}
		p.queryChangedDiskAreas(w, q)
	case "RetrievePropertiesEx":
		// The simulator ignores maxObjects: page its answer here, so clients must follow the token.
		var q struct {
			MaxObjects int `xml:"options>maxObjects"`
		}
		_ = xml.Unmarshal(payload, &q)
		recorder := httptest.NewRecorder()
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		p.sdk.ServeHTTP(recorder, r)
		answer := recorder.Body.Bytes()
		if recorder.Code == http.StatusOK && q.MaxObjects > 0 {
			answer = p.page(answer, q.MaxObjects)
		}
		for k, v := range recorder.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(recorder.Code)
		_, _ = w.Write(answer)
	case "ContinueRetrievePropertiesEx":
		if !p.authenticated(r) {
			writeFault(w, "NotAuthenticated", "The session is not authenticated.", "")
			return
		}
		var q struct {
			Token string `xml:"token"`
		}
		_ = xml.Unmarshal(payload, &q)
		p.mu.Lock()
		rest, ok := p.pages[q.Token]
		delete(p.pages, q.Token)
		p.mu.Unlock()
		if !ok {
			writeFault(w, "InvalidArgument", "A specified parameter was not correct: token", "token")
			return
		}
		writeEnvelope(w, http.StatusOK, `<ContinueRetrievePropertiesExResponse xmlns="urn:vim25"><returnval>`+p.keep(rest.objects, rest.max)+`</returnval></ContinueRetrievePropertiesExResponse>`)
	case "ShutdownGuest":
		var q struct {
			This moref `xml:"_this"`
		}
		_ = xml.Unmarshal(payload, &q)
		vm, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "VirtualMachine", Value: q.This.Value}).(*simulator.VirtualMachine)
		if ok && p.stubborn[vm.Name] && p.authenticated(r) {
			// Like a guest without a working shutdown handler: the request is accepted and nothing happens.
			writeEnvelope(w, http.StatusOK, `<ShutdownGuestResponse xmlns="urn:vim25"></ShutdownGuestResponse>`)
			return
		}
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		p.sdk.ServeHTTP(w, r)
	case "CreateSnapshot_Task":
		recorder := httptest.NewRecorder()
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		p.sdk.ServeHTTP(recorder, r)
		if recorder.Code == http.StatusOK {
			p.freezeSnapshot(recorder.Body.Bytes())
		}
		for k, v := range recorder.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(recorder.Code)
		_, _ = w.Write(recorder.Body.Bytes())
	default:
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		p.sdk.ServeHTTP(w, r)
	}
}

// page cuts a RetrievePropertiesEx answer to its first max objects and keeps the rest behind a token.
func (p *peer) page(answer []byte, max int) []byte {
	decoder := xml.NewDecoder(bytes.NewReader(answer))
	var objects [][2]int64
	depth := 0
	for {
		offset := decoder.InputOffset()
		token, err := decoder.Token()
		if err != nil {
			break
		}
		switch t := token.(type) {
		case xml.StartElement:
			depth++
			// Envelope > Body > RetrievePropertiesExResponse > returnval > objects
			if depth == 5 && t.Name.Local == "objects" {
				if err := decoder.Skip(); err != nil {
					return answer
				}
				objects = append(objects, [2]int64{offset, decoder.InputOffset()})
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
	if len(objects) <= max {
		return answer
	}
	all := make([][]byte, 0, len(objects))
	for _, o := range objects {
		all = append(all, append([]byte(nil), answer[o[0]:o[1]]...))
	}
	var out bytes.Buffer
	out.Write(answer[:objects[0][0]])
	out.WriteString(p.keep(all, max))
	out.Write(answer[objects[len(objects)-1][1]:])
	return out.Bytes()
}

// keep returns at most max objects, preceded by a <token> element naming the rest when there is a rest.
func (p *peer) keep(objects [][]byte, max int) string {
	var out strings.Builder
	if len(objects) > max {
		p.mu.Lock()
		p.sequence++
		token := fmt.Sprintf("page-%d", p.sequence)
		p.pages[token] = pending{objects: objects[max:], max: max}
		p.mu.Unlock()
		out.WriteString("<token>" + token + "</token>")
		objects = objects[:max]
	}
	for _, o := range objects {
		out.Write(o)
	}
	return out.String()
}

// soapMethod returns the name of the first element inside the SOAP Body and that element's XML.
func soapMethod(body []byte) (string, []byte) {
	decoder := xml.NewDecoder(bytes.NewReader(body))
	inBody := false
	for {
		offset := decoder.InputOffset()
		token, err := decoder.Token()
		if err != nil {
			return "", nil
		}
		start, ok := token.(xml.StartElement)
		if !ok {
			continue
		}
		if !inBody {
			inBody = start.Name.Local == "Body"
			continue
		}
		if err := decoder.Skip(); err != nil {
			return start.Name.Local, nil
		}
		return start.Name.Local, body[offset:decoder.InputOffset()]
	}
}

// authenticated asks the simulator itself whether the request's session cookie is live (CurrentTime needs a session).
func (p *peer) authenticated(r *http.Request) bool {
	probe := `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
		`<CurrentTime xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime></soapenv:Body></soapenv:Envelope>`
	request := httptest.NewRequest(http.MethodPost, "/sdk", strings.NewReader(probe))
	for _, c := range r.Cookies() {
		request.AddCookie(c)
	}
	recorder := httptest.NewRecorder()
	p.sdk.ServeHTTP(recorder, request)
	return recorder.Code == http.StatusOK
}

// freezeSnapshot copies each disk of the snapshot just created (the task's result) to a frozen file.
func (p *peer) freezeSnapshot(response []byte) {
	var envelope struct {
		Task moref `xml:"Body>CreateSnapshot_TaskResponse>returnval"`
	}
	if err := xml.Unmarshal(response, &envelope); err != nil {
		log.Printf("CreateSnapshot_Task answer not understood: %v", err)
		return
	}
	task, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "Task", Value: envelope.Task.Value}).(*simulator.Task)
	if !ok || task.Info.State != types.TaskInfoStateSuccess {
		return
	}
	snapRef, ok := task.Info.Result.(types.ManagedObjectReference)
	if !ok {
		return
	}
	snapshot, ok := simulator.Map.Get(snapRef).(*simulator.VirtualMachineSnapshot)
	if !ok {
		return
	}
	vm := simulator.Map.Get(snapshot.Vm).(*simulator.VirtualMachine)

	p.mu.Lock()
	defer p.mu.Unlock()
	p.sequence++
	frozen := map[int32]frozenDisk{}
	simulator.Map.WithLock(vm, func() {
		tracking := vm.Config.ChangeTrackingEnabled != nil && *vm.Config.ChangeTrackingEnabled
		// The simulator shares the device list between the VM and its snapshot: give the snapshot its own.
		devices := make([]types.BaseVirtualDevice, len(vm.Config.Hardware.Device))
		for i, device := range vm.Config.Hardware.Device {
			devices[i] = device
			disk, ok := device.(*types.VirtualDisk)
			if !ok {
				continue
			}
			live, ok := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
			if !ok {
				continue
			}
			source, err := flatFile(live, live.FileName)
			if err != nil {
				log.Printf("snapshot %s: %v", snapRef.Value, err)
				continue
			}
			name := fmt.Sprintf("%s-%s.vmdk", strings.TrimSuffix(live.FileName, ".vmdk"), snapRef.Value)
			target, _ := flatFile(live, name)
			if err := copySparse(source, target); err != nil {
				log.Printf("snapshot %s: %v", snapRef.Value, err)
				continue
			}
			changeID := ""
			if tracking {
				changeID = fmt.Sprintf("52 %08x %04x/%d", time.Now().UnixNano()&0xffffffff, p.sequence, disk.Key)
				live.ChangeId = changeID
				p.changeIDs[fmt.Sprintf("%s/%d/%s", vm.Self.Value, disk.Key, changeID)] = target
			}
			frozenBacking := *live
			frozenBacking.FileName = name
			frozenBacking.ChangeId = changeID
			frozenDevice := *disk
			frozenDevice.Backing = &frozenBacking
			devices[i] = &frozenDevice
			frozen[disk.Key] = frozenDisk{file: target, changeID: changeID, capacity: disk.CapacityInBytes}
		}
		snapshot.Config.Hardware.Device = devices
	})
	p.snapshots[snapRef.Value] = frozen
}

// copySparse copies a file, leaving all-zero 64 KiB blocks as holes.
func copySparse(source, target string) error {
	in, err := os.Open(source)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(target)
	if err != nil {
		return err
	}
	defer out.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	buffer := make([]byte, blockSize)
	for offset := int64(0); offset < info.Size(); offset += blockSize {
		n, err := in.ReadAt(buffer, offset)
		if err != nil && err != io.EOF {
			return err
		}
		if !allZero(buffer[:n]) {
			if _, err := out.WriteAt(buffer[:n], offset); err != nil {
				return err
			}
		}
	}
	return out.Truncate(info.Size())
}

func allZero(b []byte) bool {
	for _, v := range b {
		if v != 0 {
			return false
		}
	}
	return true
}

func (p *peer) queryChangedDiskAreas(w http.ResponseWriter, q queryChangedDiskAreas) {
	if q.Snapshot == nil {
		writeFault(w, "InvalidArgument", "This peer answers QueryChangedDiskAreas only for a snapshot.", "snapshot")
		return
	}
	p.mu.Lock()
	disks, known := p.snapshots[q.Snapshot.Value]
	disk, hasDisk := disks[q.DeviceKey]
	base := ""
	baseKnown := q.ChangeID == "*"
	if !baseKnown {
		base, baseKnown = p.changeIDs[fmt.Sprintf("%s/%d/%s", q.This.Value, q.DeviceKey, q.ChangeID)]
	}
	p.mu.Unlock()

	switch {
	case !known:
		writeFault(w, "ManagedObjectNotFound", "The object '"+q.Snapshot.Value+"' has already been deleted or has not been completely created", "")
		return
	case !hasDisk:
		writeFault(w, "InvalidArgument", fmt.Sprintf("The snapshot has no disk with key %d.", q.DeviceKey), "deviceKey")
		return
	case disk.changeID == "":
		writeFault(w, "FileFault", "Change tracking is not active on this disk.", "")
		return
	case !baseKnown:
		writeFault(w, "FileFault", "Error caused by file "+disk.file+": the change id is not valid for this disk.", "")
		return
	case q.StartOffset < 0 || q.StartOffset >= disk.capacity || q.StartOffset%blockSize != 0:
		writeFault(w, "InvalidArgument", "A specified parameter was not correct: startOffset", "startOffset")
		return
	}

	end := q.StartOffset + p.pageBytes
	if end > disk.capacity {
		end = disk.capacity
	}
	areas, err := changedAreas(disk.file, base, q.StartOffset, end)
	if err != nil {
		writeFault(w, "FileFault", err.Error(), "")
		return
	}

	var out strings.Builder
	fmt.Fprintf(&out, `<QueryChangedDiskAreasResponse xmlns="urn:vim25"><returnval><startOffset>%d</startOffset><length>%d</length>`, q.StartOffset, end-q.StartOffset)
	for _, a := range areas {
		fmt.Fprintf(&out, `<changedArea><start>%d</start><length>%d</length></changedArea>`, a[0], a[1])
	}
	out.WriteString(`</returnval></QueryChangedDiskAreasResponse>`)
	writeEnvelope(w, http.StatusOK, out.String())
}

// changedAreas compares [start, end) of file with base ("" = all zeroes) in 64 KiB blocks, merging neighbours.
func changedAreas(file, base string, start, end int64) ([][2]int64, error) {
	current, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer current.Close()
	var previous *os.File
	if base != "" {
		if previous, err = os.Open(base); err != nil {
			return nil, err
		}
		defer previous.Close()
	}
	a := make([]byte, blockSize)
	b := make([]byte, blockSize)
	var areas [][2]int64
	for offset := start; offset < end; offset += blockSize {
		n, err := current.ReadAt(a, offset)
		if err != nil && err != io.EOF {
			return nil, err
		}
		var changed bool
		if previous == nil {
			changed = !allZero(a[:n])
		} else {
			m, err := previous.ReadAt(b, offset)
			if err != nil && err != io.EOF {
				return nil, err
			}
			changed = n != m || !bytes.Equal(a[:n], b[:m])
		}
		if !changed {
			continue
		}
		if len(areas) > 0 && areas[len(areas)-1][0]+areas[len(areas)-1][1] == offset {
			areas[len(areas)-1][1] += int64(n)
		} else {
			areas = append(areas, [2]int64{offset, int64(n)})
		}
	}
	return areas, nil
}

func writeFault(w http.ResponseWriter, kind, message, property string) {
	detail := fmt.Sprintf(`<%sFault xmlns="urn:vim25" xsi:type="%s">`, kind, kind)
	if property != "" {
		detail += "<invalidProperty>" + html.EscapeString(property) + "</invalidProperty>"
	}
	detail += fmt.Sprintf(`</%sFault>`, kind)
	writeEnvelope(w, http.StatusInternalServerError, fmt.Sprintf(
		`<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>%s</faultstring><detail>%s</detail></soapenv:Fault>`,
		html.EscapeString(message), detail))
}

func writeEnvelope(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" `+
		`xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`+body+`</soapenv:Body></soapenv:Envelope>`)
}
