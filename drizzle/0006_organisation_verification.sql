CREATE TABLE "email_verification_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organisation_domains" (
	"organisation_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_at" timestamp with time zone,
	"verified_by" text,
	CONSTRAINT "organisation_domains_organisation_id_domain_pk" PRIMARY KEY("organisation_id","domain")
);
--> statement-breakpoint
CREATE TABLE "organisation_join_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	CONSTRAINT "organisation_join_requests_status_check" CHECK ("organisation_join_requests"."status" in ('pending', 'accepted', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "verified_by" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "duplicate_of" uuid;--> statement-breakpoint
ALTER TABLE "email_verification_tokens" ADD CONSTRAINT "email_verification_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_domains" ADD CONSTRAINT "organisation_domains_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_domains" ADD CONSTRAINT "organisation_domains_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_join_requests" ADD CONSTRAINT "organisation_join_requests_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_join_requests" ADD CONSTRAINT "organisation_join_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_join_requests" ADD CONSTRAINT "organisation_join_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_verification_tokens_user_idx" ON "email_verification_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "organisation_domains_domain_idx" ON "organisation_domains" USING btree ("domain");--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_join_requests_pending_key" ON "organisation_join_requests" USING btree ("organisation_id","user_id") WHERE "organisation_join_requests"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_duplicate_of_organisations_id_fk" FOREIGN KEY ("duplicate_of") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- One organisation per number from now on. Numbers registered more than once before are kept (their agreements,
-- members and parties keep working) but every later registration points at the oldest one (duplicate_of): the
-- oldest is the organisation of that number, the others are never verified and take no new members.
UPDATE "organisations" AS o SET "duplicate_of" = (
	SELECT f."id" FROM "organisations" f WHERE f."org_number" = o."org_number" ORDER BY f."created_at", f."id" LIMIT 1
) WHERE EXISTS (
	SELECT 1 FROM "organisations" e WHERE e."org_number" = o."org_number" AND (e."created_at", e."id") < (o."created_at", o."id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_org_number_key" ON "organisations" USING btree ("org_number") WHERE "organisations"."duplicate_of" is null;