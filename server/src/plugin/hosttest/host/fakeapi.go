package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

type kvEntry struct {
	value    []byte
	expireAt time.Time // zero: never
}

type logEntry struct {
	Level   string `json:"level"`
	Message string `json:"message"`
	Fields  []any  `json:"fields"`
}

// fakeAPI is an in-memory plugin.API with the KV semantics of Mattermost's SQL store and small
// seeded users, team, channels and group. Methods not overridden belong to the nil embedded API:
// a plugin calling one of them crashes the host, which the tests would report loudly.
type fakeAPI struct {
	plugin.API
	mu            sync.Mutex
	kv            map[string]kvEntry
	commands      map[string]*model.Command
	bots          map[string]*model.Bot
	users         map[string]*model.User
	channels      map[string]*model.Channel
	members       map[string]map[string]*model.ChannelMember
	posts         map[string]*model.Post
	ephemeral     []*model.Post
	wsEvents      []map[string]any
	clusterEvents []map[string]any
	dialogs       []model.OpenDialogRequest
	executed      []model.CommandArgs
	files         map[string]*model.FileInfo
	fileData      map[string][]byte
	logs          []logEntry
	config        map[string]any
	calls         map[string]int
}

func newFakeAPI() *fakeAPI {
	a := &fakeAPI{
		kv: map[string]kvEntry{}, commands: map[string]*model.Command{}, bots: map[string]*model.Bot{},
		users: map[string]*model.User{}, channels: map[string]*model.Channel{}, members: map[string]map[string]*model.ChannelMember{},
		posts: map[string]*model.Post{}, files: map[string]*model.FileInfo{}, fileData: map[string][]byte{}, config: map[string]any{"Greeting": "hello", "MaxItems": 3.0}, calls: map[string]int{},
	}
	for _, u := range []*model.User{
		{Id: "user1", Username: "alice", Email: "alice@example.com", Roles: "system_user system_admin", Timezone: model.StringMap{"useAutomaticTimezone": "true"}},
		{Id: "user2", Username: "bob", Email: "bob@example.com", Roles: "system_user"},
	} {
		a.users[u.Id] = u
	}
	// Two files in channel1: alice's attached JSON, and an older text file of bob's.
	a.files["file1"] = &model.FileInfo{Id: "file1", CreatorId: "user1", PostId: "post-file1", ChannelId: "channel1", CreateAt: 2000, Name: "runbook.json", Extension: "json", Size: 15, MimeType: "application/json"}
	a.fileData["file1"] = []byte("{\"title\":\"x\"}\n\n")
	a.files["file2"] = &model.FileInfo{Id: "file2", CreatorId: "user2", PostId: "post-file2", ChannelId: "channel1", CreateAt: 1000, Name: "notes.txt", Extension: "txt", Size: 0, MimeType: "text/plain"}
	a.fileData["file2"] = []byte{}
	a.channels["channel1"] = &model.Channel{Id: "channel1", TeamId: "team1", Type: model.ChannelTypeOpen, Name: "town-square", DisplayName: "Town Square"}
	a.members["channel1"] = map[string]*model.ChannelMember{"user1": {ChannelId: "channel1", UserId: "user1", Roles: "channel_user", NotifyProps: model.StringMap{}}}
	return a
}

func (a *fakeAPI) count(name string) { a.calls[name]++ }

func notFound(where, what string) *model.AppError {
	return model.NewAppError(where, "app.fake.not_found.app_error", nil, what+" not found", http.StatusNotFound)
}

func badRequest(where, detail string) *model.AppError {
	return model.NewAppError(where, "app.fake.invalid.app_error", nil, detail, http.StatusBadRequest)
}

// Configuration and server.

func (a *fakeAPI) LoadPluginConfiguration(dest any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("LoadPluginConfiguration")
	raw, err := json.Marshal(a.config)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, dest)
}

func (a *fakeAPI) GetPluginConfig() map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetPluginConfig")
	return a.config
}

func (a *fakeAPI) GetConfig() *model.Config {
	a.mu.Lock()
	a.count("GetConfig")
	a.mu.Unlock()
	cfg := &model.Config{}
	cfg.SetDefaults()
	siteURL := "http://localhost:8065"
	cfg.ServiceSettings.SiteURL = &siteURL
	return cfg
}

func (a *fakeAPI) GetServerVersion() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetServerVersion")
	return model.CurrentVersion
}

func (a *fakeAPI) GetBundlePath() (string, error) { return "", nil }

// Commands.

func (a *fakeAPI) RegisterCommand(command *model.Command) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("RegisterCommand")
	if command.Trigger == "" {
		return model.NewAppError("RegisterCommand", "model.command.is_valid.trigger.app_error", nil, "", http.StatusBadRequest)
	}
	if command.AutocompleteData != nil {
		if err := command.AutocompleteData.IsValid(); err != nil {
			return fmt.Errorf("invalid autocomplete data: %w", err)
		}
	}
	a.commands[command.Trigger] = command
	return nil
}

func (a *fakeAPI) UnregisterCommand(teamID, trigger string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("UnregisterCommand")
	delete(a.commands, trigger)
	return nil
}

// ExecuteSlashCommand records what arrived; "/fail" fails with an AppError, "/boom" with a plain
// error (it crosses as plugin.ErrorString), anything else answers in the channel.
func (a *fakeAPI) ExecuteSlashCommand(args *model.CommandArgs) (*model.CommandResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("ExecuteSlashCommand")
	a.executed = append(a.executed, *args)
	switch strings.Fields(args.Command + " x")[0] {
	case "/fail":
		return nil, model.NewAppError("ExecuteCommand", "api.command.execute_command.failed.app_error", nil, "it failed", http.StatusInternalServerError)
	case "/boom":
		return nil, fmt.Errorf("boom: %s", args.Command)
	}
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeInChannel, Text: "ran " + args.Command + " as " + args.UserId, Props: model.StringInterface{"n": 1.5}}, nil
}

// Files.

func (a *fakeAPI) GetFileInfo(fileID string) (*model.FileInfo, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetFileInfo")
	if f, ok := a.files[fileID]; ok {
		return f, nil
	}
	return nil, notFound("GetFileInfo", "file "+fileID)
}

func (a *fakeAPI) GetFileInfos(page, perPage int, opt *model.GetFileInfosOptions) ([]*model.FileInfo, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetFileInfos")
	if opt == nil {
		opt = &model.GetFileInfosOptions{}
	}
	out := []*model.FileInfo{}
	for _, f := range a.files {
		if (len(opt.UserIds) == 0 || slices.Contains(opt.UserIds, f.CreatorId)) && (len(opt.ChannelIds) == 0 || slices.Contains(opt.ChannelIds, f.ChannelId)) && f.CreateAt >= opt.Since {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return (out[i].CreateAt < out[j].CreateAt) != opt.SortDescending })
	start := min(page*perPage, len(out))
	return out[start:min(start+perPage, len(out))], nil
}

func (a *fakeAPI) GetFile(fileID string) ([]byte, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetFile")
	if data, ok := a.fileData[fileID]; ok {
		return data, nil
	}
	return nil, notFound("GetFile", "file "+fileID)
}

// KV store: expired keys read as absent, nil/empty values delete, atomic ops compare bytes.

func checkKey(where, key string) *model.AppError {
	if key == "" || utf8.RuneCountInString(key) > model.KeyValueKeyMaxRunes {
		return badRequest(where, "invalid key")
	}
	return nil
}

func (a *fakeAPI) live(key string) (kvEntry, bool) {
	e, ok := a.kv[key]
	if ok && !e.expireAt.IsZero() && !time.Now().Before(e.expireAt) {
		delete(a.kv, key)
		return kvEntry{}, false
	}
	return e, ok
}

func expiry(seconds int64) time.Time {
	if seconds <= 0 {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(seconds) * time.Second)
}

func (a *fakeAPI) set(key string, value []byte, expireIn int64) {
	if len(value) == 0 {
		delete(a.kv, key)
		return
	}
	a.kv[key] = kvEntry{value: bytes.Clone(value), expireAt: expiry(expireIn)}
}

func (a *fakeAPI) KVSet(key string, value []byte) *model.AppError {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVSet")
	if err := checkKey("KVSet", key); err != nil {
		return err
	}
	a.set(key, value, 0)
	return nil
}

func (a *fakeAPI) KVSetWithExpiry(key string, value []byte, expireInSeconds int64) *model.AppError {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVSetWithExpiry")
	if err := checkKey("KVSetWithExpiry", key); err != nil {
		return err
	}
	a.set(key, value, expireInSeconds)
	return nil
}

func (a *fakeAPI) KVGet(key string) ([]byte, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVGet")
	if e, ok := a.live(key); ok {
		return bytes.Clone(e.value), nil
	}
	return nil, nil
}

func (a *fakeAPI) KVDelete(key string) *model.AppError {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVDelete")
	delete(a.kv, key)
	return nil
}

func (a *fakeAPI) KVDeleteAll() *model.AppError {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVDeleteAll")
	a.kv = map[string]kvEntry{}
	return nil
}

func (a *fakeAPI) KVList(page, perPage int) ([]string, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVList")
	if page < 0 || perPage < 0 {
		return nil, badRequest("KVList", "negative page")
	}
	keys := []string{}
	for k := range a.kv {
		if _, ok := a.live(k); ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	start := min(page*perPage, len(keys))
	return keys[start:min(start+perPage, len(keys))], nil
}

func (a *fakeAPI) compareAndSet(key string, oldValue, newValue []byte, expireIn int64) bool {
	cur, ok := a.live(key)
	if len(oldValue) == 0 {
		if ok {
			return false
		}
	} else if !ok || !bytes.Equal(cur.value, oldValue) {
		return false
	}
	a.set(key, newValue, expireIn)
	return true
}

func (a *fakeAPI) compareAndDelete(key string, oldValue []byte) bool {
	if len(oldValue) == 0 {
		return false
	}
	cur, ok := a.live(key)
	if !ok || !bytes.Equal(cur.value, oldValue) {
		return false
	}
	delete(a.kv, key)
	return true
}

func (a *fakeAPI) KVSetWithOptions(key string, value []byte, options model.PluginKVSetOptions) (bool, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVSetWithOptions")
	if err := checkKey("KVSetWithOptions", key); err != nil {
		return false, err
	}
	if err := options.IsValid(); err != nil {
		return false, err
	}
	if !options.Atomic {
		a.set(key, value, options.ExpireInSeconds)
		return true, nil
	}
	if len(value) == 0 {
		return a.compareAndDelete(key, options.OldValue), nil
	}
	return a.compareAndSet(key, options.OldValue, value, options.ExpireInSeconds), nil
}

func (a *fakeAPI) KVCompareAndSet(key string, oldValue, newValue []byte) (bool, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVCompareAndSet")
	if err := checkKey("KVCompareAndSet", key); err != nil {
		return false, err
	}
	return a.compareAndSet(key, oldValue, newValue, 0), nil
}

func (a *fakeAPI) KVCompareAndDelete(key string, oldValue []byte) (bool, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("KVCompareAndDelete")
	return a.compareAndDelete(key, oldValue), nil
}

// Bots, users, teams, groups, permissions.

func (a *fakeAPI) EnsureBotUser(bot *model.Bot) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("EnsureBotUser")
	if bot == nil || bot.Username == "" {
		return "", fmt.Errorf("EnsureBotUser: a bot needs a username")
	}
	if existing, ok := a.bots[bot.Username]; ok {
		return existing.UserId, nil
	}
	id := "bot-" + bot.Username
	a.bots[bot.Username] = &model.Bot{UserId: id, Username: bot.Username, DisplayName: bot.DisplayName, Description: bot.Description}
	a.users[id] = &model.User{Id: id, Username: bot.Username, IsBot: true, Roles: "system_user"}
	return id, nil
}

func (a *fakeAPI) GetUser(userID string) (*model.User, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetUser")
	if u, ok := a.users[userID]; ok {
		return u, nil
	}
	return nil, notFound("GetUser", "user "+userID)
}

func (a *fakeAPI) GetUserByUsername(name string) (*model.User, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetUserByUsername")
	for _, u := range a.users {
		if u.Username == name {
			return u, nil
		}
	}
	return nil, notFound("GetUserByUsername", "user "+name)
}

func (a *fakeAPI) GetUsersByUsernames(usernames []string) ([]*model.User, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetUsersByUsernames")
	out := []*model.User{}
	for _, name := range usernames {
		for _, u := range a.users {
			if u.Username == name {
				out = append(out, u)
			}
		}
	}
	return out, nil
}

func (a *fakeAPI) GetTeam(teamID string) (*model.Team, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetTeam")
	if teamID != "team1" {
		return nil, notFound("GetTeam", "team "+teamID)
	}
	return &model.Team{Id: "team1", Name: "ops", DisplayName: "Ops", Type: model.TeamOpen}, nil
}

func (a *fakeAPI) GetTeamMember(teamID, userID string) (*model.TeamMember, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetTeamMember")
	if teamID != "team1" || a.users[userID] == nil {
		return nil, notFound("GetTeamMember", "member")
	}
	return &model.TeamMember{TeamId: teamID, UserId: userID, Roles: "team_user", SchemeUser: true}, nil
}

func (a *fakeAPI) GetGroup(groupId string) (*model.Group, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetGroup")
	if groupId != "group1" {
		return nil, notFound("GetGroup", "group "+groupId)
	}
	name := "sre"
	return &model.Group{Id: "group1", Name: &name, DisplayName: "SRE", Source: model.GroupSourceCustom}, nil
}

func (a *fakeAPI) GetGroupMemberUsers(groupID string, page, perPage int) ([]*model.User, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetGroupMemberUsers")
	if groupID != "group1" {
		return nil, notFound("GetGroupMemberUsers", "group "+groupID)
	}
	all := []*model.User{a.users["user1"], a.users["user2"]}
	start := min(page*perPage, len(all))
	return all[start:min(start+perPage, len(all))], nil
}

func (a *fakeAPI) hasPermission(name, userID string, permission *model.Permission) bool {
	a.count(name)
	u, ok := a.users[userID]
	if !ok || permission == nil {
		return false
	}
	if strings.Contains(u.Roles, "system_admin") {
		return true
	}
	return permission.Id == model.PermissionCreatePost.Id
}

func (a *fakeAPI) HasPermissionTo(userID string, permission *model.Permission) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("HasPermissionTo")
	u, ok := a.users[userID]
	return ok && permission != nil && strings.Contains(u.Roles, "system_admin")
}

func (a *fakeAPI) HasPermissionToTeam(userID, teamID string, permission *model.Permission) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return teamID == "team1" && a.hasPermission("HasPermissionToTeam", userID, permission)
}

func (a *fakeAPI) HasPermissionToChannel(userID, channelId string, permission *model.Permission) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.channels[channelId] != nil && a.hasPermission("HasPermissionToChannel", userID, permission)
}

// Channels.

func (a *fakeAPI) CreateChannel(channel *model.Channel) (*model.Channel, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("CreateChannel")
	if channel.Name == "" || channel.TeamId == "" {
		return nil, badRequest("CreateChannel", "name and team are required")
	}
	for _, c := range a.channels {
		if c.TeamId == channel.TeamId && c.Name == channel.Name {
			return nil, model.NewAppError("CreateChannel", "store.sql_channel.save_channel.exists.app_error", nil, "", http.StatusBadRequest)
		}
	}
	c := channel.DeepCopy()
	c.Id = model.NewId()
	c.CreateAt = model.GetMillis()
	c.UpdateAt = c.CreateAt
	a.channels[c.Id] = c
	a.members[c.Id] = map[string]*model.ChannelMember{}
	return c, nil
}

func (a *fakeAPI) GetChannel(channelId string) (*model.Channel, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetChannel")
	if c, ok := a.channels[channelId]; ok {
		return c, nil
	}
	return nil, notFound("GetChannel", "channel "+channelId)
}

func (a *fakeAPI) GetDirectChannel(userID1, userID2 string) (*model.Channel, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetDirectChannel")
	for _, id := range []string{userID1, userID2} {
		if _, ok := a.users[id]; !ok {
			return nil, notFound("GetDirectChannel", "user "+id)
		}
	}
	name := model.GetDMNameFromIds(userID1, userID2)
	for _, c := range a.channels {
		if c.Type == model.ChannelTypeDirect && c.Name == name {
			return c, nil
		}
	}
	c := &model.Channel{Id: model.NewId(), Type: model.ChannelTypeDirect, Name: name}
	a.channels[c.Id] = c
	a.members[c.Id] = map[string]*model.ChannelMember{
		userID1: {ChannelId: c.Id, UserId: userID1, Roles: "channel_user", NotifyProps: model.StringMap{}},
		userID2: {ChannelId: c.Id, UserId: userID2, Roles: "channel_user", NotifyProps: model.StringMap{}},
	}
	return c, nil
}

func (a *fakeAPI) GetChannelByName(teamID, name string, includeDeleted bool) (*model.Channel, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetChannelByName")
	for _, c := range a.channels {
		if c.TeamId == teamID && c.Name == name && (includeDeleted || c.DeleteAt == 0) {
			return c, nil
		}
	}
	return nil, notFound("GetChannelByName", "channel "+name)
}

func (a *fakeAPI) GetChannelsForTeamForUser(teamID, userID string, includeDeleted bool) ([]*model.Channel, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetChannelsForTeamForUser")
	var found []*model.Channel
	for id, c := range a.channels {
		if (c.TeamId == teamID || c.TeamId == "") && (includeDeleted || c.DeleteAt == 0) && a.members[id][userID] != nil {
			found = append(found, c)
		}
	}
	if len(found) == 0 {
		// As Mattermost's store: no channels is an error, not an empty list.
		return nil, notFound("GetChannelsForTeamForUser", "channels of "+userID)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	return found, nil
}

func (a *fakeAPI) UpdateChannel(channel *model.Channel) (*model.Channel, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("UpdateChannel")
	if _, ok := a.channels[channel.Id]; !ok {
		return nil, notFound("UpdateChannel", "channel "+channel.Id)
	}
	c := channel.DeepCopy()
	c.UpdateAt = model.GetMillis()
	a.channels[c.Id] = c
	return c, nil
}

func (a *fakeAPI) addMember(where, channelId, userID string) (*model.ChannelMember, *model.AppError) {
	a.count(where)
	members, ok := a.members[channelId]
	if !ok {
		return nil, notFound(where, "channel "+channelId)
	}
	if a.users[userID] == nil {
		return nil, notFound(where, "user "+userID)
	}
	if m, ok := members[userID]; ok {
		return m, nil
	}
	m := &model.ChannelMember{ChannelId: channelId, UserId: userID, Roles: "channel_user", SchemeUser: true, NotifyProps: model.GetDefaultChannelNotifyProps()}
	members[userID] = m
	return m, nil
}

func (a *fakeAPI) AddChannelMember(channelId, userID string) (*model.ChannelMember, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.addMember("AddChannelMember", channelId, userID)
}

func (a *fakeAPI) AddUserToChannel(channelId, userID, asUserId string) (*model.ChannelMember, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.users[asUserId] == nil {
		return nil, notFound("AddUserToChannel", "acting user "+asUserId)
	}
	return a.addMember("AddUserToChannel", channelId, userID)
}

func (a *fakeAPI) GetChannelMember(channelId, userID string) (*model.ChannelMember, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetChannelMember")
	if m, ok := a.members[channelId][userID]; ok {
		return m, nil
	}
	return nil, notFound("GetChannelMember", "member")
}

func (a *fakeAPI) GetChannelMembers(channelId string, page, perPage int) (model.ChannelMembers, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetChannelMembers")
	ids := []string{}
	for id := range a.members[channelId] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := model.ChannelMembers{}
	start := min(page*perPage, len(ids))
	for _, id := range ids[start:min(start+perPage, len(ids))] {
		out = append(out, *a.members[channelId][id])
	}
	return out, nil
}

func (a *fakeAPI) UpdateChannelMemberRoles(channelId, userID, newRoles string) (*model.ChannelMember, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("UpdateChannelMemberRoles")
	m, ok := a.members[channelId][userID]
	if !ok {
		return nil, notFound("UpdateChannelMemberRoles", "member")
	}
	m.Roles = newRoles
	m.SchemeAdmin = strings.Contains(newRoles, "channel_admin")
	return m, nil
}

// Posts.

func (a *fakeAPI) CreatePost(post *model.Post) (*model.Post, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("CreatePost")
	if a.channels[post.ChannelId] == nil {
		return nil, notFound("CreatePost", "channel "+post.ChannelId)
	}
	p := post.Clone()
	p.Id = model.NewId()
	p.CreateAt = model.GetMillis()
	p.UpdateAt = p.CreateAt
	a.posts[p.Id] = p
	return p, nil
}

func (a *fakeAPI) UpdatePost(post *model.Post) (*model.Post, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("UpdatePost")
	old, ok := a.posts[post.Id]
	if !ok {
		return nil, notFound("UpdatePost", "post "+post.Id)
	}
	p := post.Clone()
	p.CreateAt = old.CreateAt
	p.UpdateAt = model.GetMillis()
	p.EditAt = p.UpdateAt
	a.posts[p.Id] = p
	return p, nil
}

func (a *fakeAPI) GetPost(postId string) (*model.Post, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("GetPost")
	if p, ok := a.posts[postId]; ok && p.DeleteAt == 0 {
		return p, nil
	}
	return nil, notFound("GetPost", "post "+postId)
}

func (a *fakeAPI) DeletePost(postId string) *model.AppError {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("DeletePost")
	p, ok := a.posts[postId]
	if !ok {
		return notFound("DeletePost", "post "+postId)
	}
	p.DeleteAt = model.GetMillis()
	return nil
}

func (a *fakeAPI) SendEphemeralPost(userID string, post *model.Post) *model.Post {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("SendEphemeralPost")
	p := post.Clone()
	p.Id = model.NewId()
	p.UserId = userID
	p.CreateAt = model.GetMillis()
	a.ephemeral = append(a.ephemeral, p)
	return p
}

// Events, dialogs, logs.

func (a *fakeAPI) PublishWebSocketEvent(event string, payload map[string]any, broadcast *model.WebsocketBroadcast) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("PublishWebSocketEvent")
	a.wsEvents = append(a.wsEvents, map[string]any{"event": event, "payload": payload, "broadcast": broadcast})
}

func (a *fakeAPI) PublishPluginClusterEvent(ev model.PluginClusterEvent, opts model.PluginClusterEventSendOptions) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("PublishPluginClusterEvent")
	if opts.SendType != model.PluginClusterEventSendTypeReliable && opts.SendType != model.PluginClusterEventSendTypeBestEffort {
		return fmt.Errorf("invalid send type %q", opts.SendType)
	}
	a.clusterEvents = append(a.clusterEvents, map[string]any{"id": ev.Id, "data": string(ev.Data), "sendType": opts.SendType})
	return nil
}

func (a *fakeAPI) OpenInteractiveDialog(dialog model.OpenDialogRequest) *model.AppError {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("OpenInteractiveDialog")
	if dialog.TriggerId == "" || dialog.URL == "" {
		return badRequest("OpenInteractiveDialog", "trigger id and url are required")
	}
	a.dialogs = append(a.dialogs, dialog)
	return nil
}

func (a *fakeAPI) log(level, msg string, kv []any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count("Log" + level)
	a.logs = append(a.logs, logEntry{Level: level, Message: msg, Fields: kv})
}

func (a *fakeAPI) LogDebug(msg string, kv ...any) { a.log("Debug", msg, kv) }
func (a *fakeAPI) LogInfo(msg string, kv ...any)  { a.log("Info", msg, kv) }
func (a *fakeAPI) LogWarn(msg string, kv ...any)  { a.log("Warn", msg, kv) }
func (a *fakeAPI) LogError(msg string, kv ...any) { a.log("Error", msg, kv) }

// snapshot is the fake's state as JSON for the tests' assertions.
func (a *fakeAPI) snapshot() reply {
	a.mu.Lock()
	defer a.mu.Unlock()
	kv := map[string]string{}
	for k, e := range a.kv {
		if _, ok := a.live(k); ok {
			kv[k] = string(e.value)
		}
	}
	commands := map[string]*model.Command{}
	for k, c := range a.commands {
		commands[k] = c
	}
	posts := []*model.Post{}
	for _, p := range a.posts {
		posts = append(posts, p)
	}
	sort.Slice(posts, func(i, j int) bool { return posts[i].CreateAt < posts[j].CreateAt })
	return reply{
		"kv": kv, "commands": commands, "posts": posts, "ephemeral": a.ephemeral, "wsEvents": a.wsEvents,
		"clusterEvents": a.clusterEvents, "dialogs": a.dialogs, "executed": a.executed, "logs": a.logs, "calls": a.calls, "bots": a.bots,
	}
}
