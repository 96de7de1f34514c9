CREATE TABLE "follow_up_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"measurement_id" uuid NOT NULL,
	"user_id" uuid,
	"user_name" text NOT NULL,
	"party_id" uuid NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up_confirmations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"measurement_id" uuid NOT NULL,
	"user_id" uuid,
	"user_name" text NOT NULL,
	"party_id" uuid NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_confirmations_party_unique" UNIQUE("measurement_id","party_id")
);
--> statement-breakpoint
CREATE TABLE "follow_up_measurements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"goal_id" text NOT NULL,
	"final_version_number" integer NOT NULL,
	"value" double precision NOT NULL,
	"measured_on" date NOT NULL,
	"source" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"recorded_by_id" uuid,
	"recorded_by_name" text NOT NULL,
	"party_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"agreement_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "calendar_feeds_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "reminder_deliveries" (
	"agreement_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"date" date NOT NULL,
	"goal_id" text DEFAULT '' NOT NULL,
	"user_id" uuid NOT NULL,
	"days_before" integer NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminder_deliveries_agreement_id_kind_date_goal_id_user_id_days_before_pk" PRIMARY KEY("agreement_id","kind","date","goal_id","user_id","days_before")
);
--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "revision_kind" text;--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "revision_number" integer;--> statement-breakpoint
ALTER TABLE "agreements" ADD COLUMN "revision_based_on" integer;--> statement-breakpoint
ALTER TABLE "final_versions" ADD COLUMN "kind" text DEFAULT 'original' NOT NULL;--> statement-breakpoint
ALTER TABLE "final_versions" ADD COLUMN "revision_number" integer;--> statement-breakpoint
ALTER TABLE "final_versions" ADD COLUMN "amends" integer;--> statement-breakpoint
ALTER TABLE "follow_up_comments" ADD CONSTRAINT "follow_up_comments_measurement_id_follow_up_measurements_id_fk" FOREIGN KEY ("measurement_id") REFERENCES "public"."follow_up_measurements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_comments" ADD CONSTRAINT "follow_up_comments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_comments" ADD CONSTRAINT "follow_up_comments_party_id_organisations_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_confirmations" ADD CONSTRAINT "follow_up_confirmations_measurement_id_follow_up_measurements_id_fk" FOREIGN KEY ("measurement_id") REFERENCES "public"."follow_up_measurements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_confirmations" ADD CONSTRAINT "follow_up_confirmations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_confirmations" ADD CONSTRAINT "follow_up_confirmations_party_id_organisations_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_measurements" ADD CONSTRAINT "follow_up_measurements_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_measurements" ADD CONSTRAINT "follow_up_measurements_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_measurements" ADD CONSTRAINT "follow_up_measurements_party_id_organisations_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_deliveries" ADD CONSTRAINT "reminder_deliveries_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_deliveries" ADD CONSTRAINT "reminder_deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_comments_measurement_idx" ON "follow_up_comments" USING btree ("measurement_id","created_at");--> statement-breakpoint
CREATE INDEX "follow_up_measurements_agreement_idx" ON "follow_up_measurements" USING btree ("agreement_id","goal_id","measured_on");--> statement-breakpoint
CREATE INDEX "calendar_feeds_user_idx" ON "calendar_feeds" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_revision_kind_check" CHECK ("agreements"."revision_kind" is null or "agreements"."revision_kind" in ('amendment', 'renewal'));--> statement-breakpoint
ALTER TABLE "final_versions" ADD CONSTRAINT "final_versions_kind_check" CHECK ("final_versions"."kind" in ('original', 'amendment', 'renewal'));